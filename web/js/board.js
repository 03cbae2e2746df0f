// The live board: lots with their slots and the calls in progress, timers ticking client-side,
// each parked call coloured by its lot's thresholds (amber after warn_after_ms, red after
// timeout_ms).
import { duration, h, party } from './dom.js';

// "ok", "warn" or "late" for a call parked `waited` ms in `lot`.
export function waitLevel(lot, waited) {
  if (lot.timeout_ms > 0 && waited >= lot.timeout_ms) return 'late';
  if (lot.warn_after_ms > 0 && waited >= lot.warn_after_ms) return 'warn';
  return 'ok';
}

const LEVEL_LABEL = { ok: '', warn: 'waiting long', late: 'over its time' };

export function createBoard({ lotsElement, callsElement, emptyElement, actions }) {
  let lots = [];
  let calls = [];
  let receivedAt = performance.now();
  const elapsed = () => performance.now() - receivedAt;

  function slotCard(lot, slot) {
    const timer = h('span', { className: 'timer', 'data-testid': `timer-${slot.slot}` });
    const level = h('span', { className: 'level' });
    const card = h(
      'article',
      { className: 'slot', 'data-testid': `slot-${slot.slot}`, 'aria-label': `Slot ${slot.slot}` },
      h('header', {}, h('span', { className: 'slot-number' }, slot.slot), timer),
      h('p', { className: 'caller' }, party(slot.caller) || 'unknown caller'),
      h(
        'p',
        { className: 'meta' },
        slot.parker ? `parked by ${slot.parker}` : '',
        slot.stage && slot.stage !== 'in slot' ? ` · ${slot.stage}` : '',
        slot.escalated ? ' · escalated' : '',
        level,
      ),
      slot.note ? h('p', { className: 'note' }, slot.note) : null,
      h('div', { className: 'actions' }, actions.forSlot(lot, slot)),
    );
    const update = () => {
      const waited = slot.waited_ms + elapsed();
      const now = waitLevel(lot, waited);
      timer.textContent = duration(waited);
      card.dataset.wait = now;
      card.className = `slot wait-${now}`;
      level.textContent = LEVEL_LABEL[now] ? ` · ${LEVEL_LABEL[now]}` : '';
    };
    update();
    return { element: card, update };
  }

  function callItem(call) {
    const timer = h('span', { className: 'timer', 'data-testid': `call-timer-${call.id}` });
    const item = h(
      'li',
      { className: `call state-${call.state.replaceAll(' ', '-')}`, 'data-testid': `call-${call.id}` },
      h('span', { className: 'state' }, call.state),
      h('span', { className: 'parties' }, call.parties.map(party).join(' ↔ ')),
      timer,
      h('span', { className: 'actions' }, actions.forCall(call)),
    );
    const update = () => {
      timer.textContent = duration(call.duration_ms + elapsed());
    };
    update();
    return { element: item, update };
  }

  let tickers = [];

  function render() {
    tickers = [];
    const lotSections = lots.map((lot) => {
      const occupied = lot.slots.filter((slot) => slot.call !== null);
      const free = lot.slots.filter((slot) => slot.call === null);
      const cards = occupied.map((slot) => slotCard(lot, slot));
      tickers.push(...cards);
      return h(
        'section',
        { className: 'lot', 'data-testid': `lot-${lot.name}`, 'aria-label': `Lot ${lot.name}` },
        h(
          'h2',
          {},
          `Lot ${lot.name}`,
          h('span', { className: 'quiet' }, ` · ${occupied.length} parked, ${free.length} free`),
        ),
        h('div', { className: 'slots' }, cards.map((card) => card.element)),
        h(
          'p',
          { className: 'free' },
          free.length ? 'Free: ' : 'No free slot',
          free.map((slot) => h('span', { className: 'chip', 'data-testid': `free-${slot.slot}` }, slot.slot)),
        ),
      );
    });
    lotsElement.replaceChildren(...lotSections);
    const items = calls.map(callItem);
    tickers.push(...items);
    callsElement.replaceChildren(...items.map((item) => item.element));
    emptyElement.hidden = calls.length > 0;
  }

  return {
    // New data from a snapshot or a re-fetch: its timers count from now.
    show(newLots, newCalls) {
      lots = newLots;
      calls = newCalls;
      receivedAt = performance.now();
      render();
    },
    tick() {
      for (const ticker of tickers) ticker.update();
    },
    calls: () => calls,
  };
}
