// Toasts: short messages in a corner; errors stay until dismissed, others fade after a while.
import { h } from './dom.js';

const container = () => document.getElementById('toasts');

// kind: "info", "error" or "parked"; testid for tests.
export function toast(message, { kind = 'info', testid, title } = {}) {
  const close = () => element.remove();
  const element = h(
    'div',
    {
      className: `toast toast-${kind}`,
      role: kind === 'error' ? 'alert' : 'status',
      'data-testid': testid ?? `toast-${kind}`,
    },
    h('span', {}, title ? h('strong', {}, title) : null, message),
    h('button', { type: 'button', className: 'dismiss', 'aria-label': 'Dismiss', onclick: close }, '×'),
  );
  container().append(element);
  if (kind !== 'error') setTimeout(close, kind === 'parked' ? 20000 : 6000);
  return element;
}

export const showError = (error, what) =>
  toast(error.message ?? String(error), { kind: 'error', title: what ? `${what}: ` : undefined });
