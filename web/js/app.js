// The console's entry: sign-in with a token, the live board fed by the event stream, the history
// page, and the toast for a call parked for me.
import { api, ApiError, openEvents, session } from './api.js';
import { createActions } from './actions.js';
import { createBoard } from './board.js';
import { h } from './dom.js';
import { createHistory } from './history.js';
import { showError, toast } from './toast.js';

const $ = (id) => document.getElementById(id);
let running = null;  // { events, timer } while signed in

function showView() {
  const view = window.location.hash === '#history' ? 'history' : 'board';
  $('board').hidden = view !== 'board';
  $('history').hidden = view !== 'history';
  for (const link of document.querySelectorAll('#nav a')) {
    link.toggleAttribute('aria-current', link.getAttribute('href') === `#${view}`);
  }
  if (view === 'history') running?.history.show();
}

function signOut(message) {
  running?.events.close();
  clearInterval(running?.timer);
  running = null;
  session.clear();
  $('board').hidden = true;
  $('history').hidden = true;
  $('nav').hidden = true;
  $('who').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message ?? '';
  $('token').value = '';
  $('token').focus();
}

// Extensions the park and send dialogs offer: every party number seen on the board but mine.
function knownExtensions(calls, me) {
  const numbers = new Set(calls.flatMap((call) => call.parties.map((p) => p.number)));
  numbers.delete(me?.extension);
  $('known-extensions').replaceChildren(...[...numbers].filter((n) => /^\w{1,32}$/.test(n)).sort().map((n) => h('option', { value: n })));
}

async function start() {
  // The token is checked on a route every role may read; then who it is.
  await api('/lots');
  let me = null;
  try {
    me = await api('/me');
  } catch (error) {
    if (error.status === 401) throw error;
    showError(error, 'Who you are is unknown, actions are off');
  }
  $('sign-in').hidden = true;
  $('nav').hidden = false;
  $('who').hidden = false;
  $('who-name').textContent = me ? `${me.name} · ${me.role}${me.extension ? ` · ${me.extension}` : ''}` : 'signed in';

  let refreshing = null;
  const refresh = () => {
    refreshing ??= Promise.all([api('/lots'), api('/calls')])
      .then(([lots, calls]) => show(lots, calls))
      .catch((error) => (error.status === 401 ? signOut(error.message) : showError(error, 'Board')))
      .finally(() => { refreshing = null; });
    return refreshing;
  };
  const board = createBoard({
    lotsElement: $('lots'),
    callsElement: $('calls'),
    emptyElement: $('no-calls'),
    actions: createActions({ me, refresh }),
  });
  const show = (lots, calls) => {
    board.show(lots, calls);
    knownExtensions(calls, me);
  };
  const events = openEvents({
    onSnapshot: (snapshot) => show(snapshot.lots, snapshot.calls),
    onEvent: (event) => {
      if (event.type === 'parked' && me?.extension && event.for === me.extension) {
        const who = event.caller?.display_name || event.caller?.number || 'a call';
        toast(`${who} is parked for you on ${event.slot}${event.note ? ` — ${event.note}` : ''}`, {
          kind: 'parked', title: 'Parked for you: ', testid: 'toast-parked-for-me',
        });
      }
      refresh();
    },
    onState: (state) => {
      $('live').dataset.state = state;
      $('live').textContent = state;
    },
  });
  running = { events, timer: setInterval(() => board.tick(), 1000), history: createHistory() };
  showView();
}

async function signIn(token) {
  session.save(token);
  try {
    await start();
  } catch (error) {
    signOut(error instanceof ApiError && error.status === 401 ? `Sign-in refused: ${error.message}` : error.message);
  }
}

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('token').value.trim();
  if (token) signIn(token);
});
$('sign-out').addEventListener('click', () => signOut());
window.addEventListener('hashchange', showView);
window.addEventListener('unhandledrejection', (event) => showError(event.reason ?? 'unexpected error'));

if (session.token()) signIn(session.token());
