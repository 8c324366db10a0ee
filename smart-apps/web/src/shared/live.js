// Live updates through the FHIR server's websocket subscriptions (fhir-server/README.md): the app
// creates an R4 Subscription with a websocket channel, connects to /websocket with its access
// token, sends "bind <id>" and gets "ping <id>" on each match; the data is then read over REST
// with the token's scopes. The Subscription is deleted when the page goes away.

export async function subscribe(client, criteria, onPing) {
  const sub = await client.create({
    resourceType: 'Subscription',
    status: 'requested',
    reason: 'Vitals app live view',
    criteria,
    channel: { type: 'websocket', payload: 'application/fhir+json' },
  });
  // A new Subscription is "requested" for a second or two; the server closes a socket that binds
  // to one that is not active yet, so wait for "active" first, and reconnect if the socket drops.
  for (let i = 0; i < 30; i++) {
    const now = await client.request(`Subscription/${sub.id}`);
    if (now.status === 'active') break;
    if (now.status === 'error') throw new Error(`Subscription ${sub.id}: ${now.error || 'error'}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const base = new URL(client.state.serverUrl);
  const url = `${base.protocol === 'https:' ? 'wss' : 'ws'}://${base.host}/websocket?access_token=${encodeURIComponent(client.state.tokenResponse.access_token)}`;
  const events = new EventTarget();
  let ws;
  let closed = false;
  let retries = 0;
  const connect = () => {
    ws = new WebSocket(url);
    ws.addEventListener('open', () => ws.send(`bind ${sub.id}`));
    ws.addEventListener('message', (e) => {
      const text = typeof e.data === 'string' ? e.data : '';
      if (text.startsWith('ping')) onPing();
      else if (text.startsWith('bound')) {
        retries = 0;
        events.dispatchEvent(new Event('bound'));
      }
    });
    ws.addEventListener('close', () => {
      events.dispatchEvent(new Event('close'));
      if (!closed && retries++ < 10) setTimeout(connect, 1000 * retries);
    });
  };
  connect();
  const close = () => {
    closed = true;
    try {
      ws.close();
    } catch {
      /* already closed */
    }
    client.delete(`Subscription/${sub.id}`, { keepalive: true }).catch(() => {});
  };
  globalThis.addEventListener?.('pagehide', close);
  return { id: sub.id, events, close };
}

/** Calls fn at most once per `ms` (bursts of 1 Hz pings become one refresh). */
export function throttle(fn, ms) {
  let timer = null;
  let pending = false;
  return () => {
    if (timer) {
      pending = true;
      return;
    }
    fn();
    timer = setTimeout(() => {
      timer = null;
      if (pending) {
        pending = false;
        fn();
      }
    }, ms);
  };
}
