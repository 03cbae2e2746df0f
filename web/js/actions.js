// What the signed-in user may do from the board: agents park their own call and retrieve to
// their phone; supervisors and admins take a call to their phone, send it on, or hang it up.
// Every answer of Orbit is shown: success as a toast, an error with Orbit's own message.
import { api, slotPath } from './api.js';
import { h } from './dom.js';
import { showError, toast } from './toast.js';

// Opens a <dialog>, resolves with the submit or null on cancel; `submit` runs the request and
// keeps the dialog open with the error shown when it fails.
function runDialog(dialog, errorElement, submit) {
  const form = dialog.querySelector('form');
  errorElement.textContent = '';
  return new Promise((resolve) => {
    const onSubmit = async (event) => {
      event.preventDefault();
      const confirm = form.querySelector('[type=submit]');
      confirm.disabled = true;
      try {
        const result = await submit();
        cleanup();
        dialog.close();
        resolve(result);
      } catch (error) {
        errorElement.textContent = error.message;
      } finally {
        confirm.disabled = false;
      }
    };
    const onCancel = () => {
      cleanup();
      dialog.close();
      resolve(null);
    };
    const cancelButton = form.querySelector('[data-close]');
    const cleanup = () => {
      form.removeEventListener('submit', onSubmit);
      cancelButton.removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onCancel);
    };
    form.addEventListener('submit', onSubmit);
    cancelButton.addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onCancel);
    dialog.showModal();
  });
}

export function createActions({ me, refresh }) {
  const role = me?.role ?? null;
  const mine = me?.extension ?? null;
  const supervising = role === 'supervisor' || role === 'admin';

  // Runs a request from a button: disabled meanwhile, the outcome told.
  const act = (button, what, request, success) => async () => {
    button.disabled = true;
    try {
      const answer = await request();
      toast(success(answer ?? {}), { kind: 'info', testid: 'toast-done' });
      refresh();
    } catch (error) {
      showError(error, what);
    } finally {
      button.disabled = false;
    }
  };

  const button = (label, handler, attributes = {}) => {
    const element = h('button', { type: 'button', ...attributes }, label);
    element.addEventListener('click', handler(element));
    return element;
  };

  function park(call) {
    const dialog = document.getElementById('park-dialog');
    document.getElementById('park-for').value = '';
    document.getElementById('park-note').value = '';
    return runDialog(dialog, document.getElementById('park-error'), async () => {
      const body = {};
      const notify = document.getElementById('park-for').value.trim();
      const note = document.getElementById('park-note').value.trim();
      if (notify) body.for = notify;
      if (note) body.note = note;
      const answer = await api(`/calls/${call.id}/park`, { method: 'POST', body });
      toast(`Parked on ${answer.slot}${notify ? `, ${notify} is told` : ''}`, { testid: 'toast-done' });
      refresh();
      return answer;
    });
  }

  function send(slot) {
    const dialog = document.getElementById('send-dialog');
    document.getElementById('send-extension').value = '';
    return runDialog(dialog, document.getElementById('send-error'), async () => {
      const extension = document.getElementById('send-extension').value.trim();
      const answer = await api(`${slotPath(slot.slot)}/send`, { method: 'POST', body: { extension } });
      toast(`Ringing ${answer.extension ?? extension} for slot ${slot.slot}`, { testid: 'toast-done' });
      refresh();
      return answer;
    });
  }

  const isMine = (call) => mine !== null && call.parties.some((p) => p.number === mine);

  return {
    forSlot(lot, slot) {
      const buttons = [];
      if (role === 'agent') {
        buttons.push(
          button('Retrieve to my phone', (b) =>
            act(b, `Retrieve ${slot.slot}`, () => api(`${slotPath(slot.slot)}/retrieve`, { method: 'POST', body: {} }),
              (a) => `Ringing your phone (${a.extension ?? mine}) for slot ${slot.slot}`)),
        );
      }
      if (supervising) {
        buttons.push(
          button('Take it to my phone', (b) =>
            act(b, `Take ${slot.slot}`,
              () => api(`${slotPath(slot.slot)}/retrieve`, { method: 'POST', body: mine ? { extension: mine } : {} }),
              (a) => `Ringing your phone (${a.extension ?? mine}) for slot ${slot.slot}`),
          { title: mine ? `Rings ${mine}` : 'Your token has no extension: Orbit will say so' }),
          button('Send to…', () => () => send(slot).catch((error) => showError(error, 'Send'))),
          button('Hang up', (b) =>
            act(b, `Hang up ${slot.slot}`, () => api(`/calls/${slot.call}`, { method: 'DELETE' }),
              () => `Hung up the call of slot ${slot.slot}`),
          { className: 'danger' }),
        );
      }
      return buttons;
    },
    forCall(call) {
      const buttons = [];
      const canPark = (supervising || isMine(call)) && (call.state === 'talking' || call.state === 'on hold');
      if (canPark) {
        buttons.push(button('Park', () => () => park(call).catch((error) => showError(error, 'Park'))));
      }
      if (supervising || (role === 'agent' && isMine(call))) {
        buttons.push(
          button('Hang up', (b) =>
            act(b, 'Hang up', () => api(`/calls/${call.id}`, { method: 'DELETE' }), () => `Hung up call ${call.id}`),
          { className: 'danger' }),
        );
      }
      return buttons;
    },
  };
}
