// The history page: figures of a period (GET /api/v1/figures), a chart of waits per hour drawn
// in SVG, and the parked calls newest first (GET /api/v1/history), paged.
import { api } from './api.js';
import { duration, h, party } from './dom.js';
import { showError } from './toast.js';

const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attributes = {}, ...children) => {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
};

const wait = (ms) => (typeof ms === 'number' ? duration(ms) : '—');
const percent = (pct) => (typeof pct === 'number' ? `${pct} %` : '—');

function figureTiles(total) {
  const tile = (label, value, testid) =>
    h('div', { className: 'figure', 'data-testid': `figure-${testid}` }, h('span', { className: 'value' }, value), h('span', { className: 'label' }, label));
  return [
    tile('parks', total.parks ?? 0, 'parks'),
    tile('retrieved', percent(total.retrieved_pct), 'retrieved'),
    tile('abandoned', percent(total.abandoned_pct), 'abandoned'),
    tile('recalls', total.recalls ?? 0, 'recalls'),
    tile('escalations', total.escalations ?? 0, 'escalations'),
    tile('median wait', wait(total.median_wait_ms), 'median'),
    tile('p90 wait', wait(total.p90_wait_ms), 'p90'),
  ];
}

// Bars of the median wait of each hour; the number of parks above each bar.
export function waitChart(hours) {
  const width = 640;
  const height = 200;
  const bottom = 24;
  const top = 16;
  const longest = Math.max(1000, ...hours.map((hour) => hour.median_wait_ms ?? 0));
  const step = width / Math.max(1, hours.length);
  const bars = hours.map((hour, i) => {
    const ms = hour.median_wait_ms ?? 0;
    const barHeight = ((height - bottom - top) * ms) / longest;
    const x = i * step + step * 0.15;
    const label = `${new Date(hour.hour).toLocaleString([], { hour: '2-digit', day: 'numeric', month: 'short' })}: ${hour.parks ?? 0} parks, median wait ${wait(hour.median_wait_ms)}`;
    const group = svg('g', { class: 'bar' }, svg('title', {}, label));
    group.append(svg('rect', { x, y: height - bottom - barHeight, width: step * 0.7, height: Math.max(barHeight, ms > 0 ? 1 : 0) }));
    if ((hour.parks ?? 0) > 0) {
      group.append(svg('text', { x: x + step * 0.35, y: height - bottom - barHeight - 4, 'text-anchor': 'middle' }, String(hour.parks)));
    }
    if (i % Math.ceil(hours.length / 8) === 0) {
      group.append(svg('text', { x: x + step * 0.35, y: height - 6, 'text-anchor': 'middle', class: 'axis' },
        new Date(hour.hour).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })));
    }
    return group;
  });
  return svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `Median wait per hour, longest ${wait(longest)}`, 'data-testid': 'wait-chart' },
    svg('line', { x1: 0, x2: width, y1: height - bottom, y2: height - bottom, class: 'axis-line' }),
    ...bars,
  );
}

function historyRow(row) {
  const caller = row.caller ?? { number: '', display_name: '' };
  return h(
    'tr',
    { 'data-testid': `history-${row.id}` },
    h('td', {}, row.parked_at ? new Date(row.parked_at).toLocaleString() : ''),
    h('td', {}, row.slot ?? ''),
    h('td', {}, party(caller)),
    h('td', {}, row.parker ?? ''),
    h('td', {}, row.outcome ?? '', row.by ? ` by ${row.by}` : '', row.escalated ? ' (escalated)' : ''),
    h('td', {}, wait(row.waited_ms)),
  );
}

export function createHistory() {
  const figures = document.getElementById('figures');
  const chart = document.getElementById('chart');
  const rows = document.getElementById('history-rows');
  const more = document.getElementById('history-more');
  const days = document.getElementById('period-days');
  let before = null;

  async function loadFigures() {
    const to = new Date();
    const from = new Date(to.getTime() - Number(days.value) * 86400000);
    try {
      const answer = await api(`/figures?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`);
      figures.replaceChildren(...figureTiles(answer));
      chart.replaceChildren(waitChart(answer.hours ?? []));
    } catch (error) {
      figures.replaceChildren(h('p', { className: 'error', 'data-testid': 'figures-error' }, error.message));
      chart.replaceChildren();
      showError(error, 'Figures');
    }
  }

  async function loadPage(append) {
    try {
      const query = before !== null && append ? `&before=${before}` : '';
      const answer = await api(`/history?limit=50${query}`);
      const list = answer.entries ?? [];
      if (!append) rows.replaceChildren();
      rows.append(...list.map(historyRow));
      before = answer.next_before ?? null;
      more.hidden = before === null;
    } catch (error) {
      if (!append) rows.replaceChildren();
      showError(error, 'History');
    }
  }

  days.addEventListener('change', loadFigures);
  more.addEventListener('click', () => loadPage(true));
  return {
    show() {
      before = null;
      loadFigures();
      loadPage(false);
    },
  };
}
