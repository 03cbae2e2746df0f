// The Orbit API client: the token of this tab, JSON requests with their errors, the event stream.

const TOKEN_KEY = 'orbit.token';

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  save: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

// An answer other than 2xx: the status and Orbit's own message ({"error": "..."}).
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Authorization: `Bearer ${session.token() ?? ''}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError(0, `Orbit cannot be reached (${error.message})`);
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const message = typeof data?.error === 'string' ? data.error : `HTTP ${response.status}`;
    throw new ApiError(response.status, message);
  }
  return data;
}

// A slot as a path segment: "*88101" is "%2A88101" (encodeURIComponent keeps '*').
export function slotPath(slot) {
  return `/slots/${encodeURIComponent(slot).replaceAll('*', '%2A')}`;
}

// The WebSocket of events: a snapshot on every (re)connection, then each event. Reconnects with
// a growing delay until closed.
export function openEvents({ onSnapshot, onEvent, onState }) {
  let socket = null;
  let delay = 500;
  let closed = false;
  const connect = () => {
    const url = new URL('/api/v1/events', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', session.token() ?? '');
    socket = new WebSocket(url);
    socket.addEventListener('open', () => {
      delay = 500;
      onState('live');
    });
    socket.addEventListener('message', (message) => {
      const data = JSON.parse(message.data);
      if (data.type === 'snapshot') onSnapshot(data);
      else if (data.type === 'event') onEvent(data.event);
    });
    socket.addEventListener('close', () => {
      onState('offline');
      if (closed) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10000);
    });
  };
  connect();
  return {
    close() {
      closed = true;
      socket?.close();
    },
  };
}
