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
  const base = new URL(client.state.serverUrl);
  const ws = new WebSocket(
    `${base.protocol === 'https:' ? 'wss' : 'ws'}://${base.host}/websocket?access_token=${encodeURIComponent(client.state.tokenResponse.access_token)}`,
  );
  // A new Subscription is "requested" for a second or two before it is active: until then the
  // server answers the bind with an error, so bind again.
  let tries = 0;
  const bind = () => ws.readyState === WebSocket.OPEN && ws.send(`bind ${sub.id}`);
  ws.addEventListener('open', bind);
  ws.addEventListener('message', (e) => {
    const text = typeof e.data === 'string' ? e.data : '';
    if (text.startsWith('ping')) onPing();
    else if (text.startsWith('bound')) ws.dispatchEvent(new Event('bound'));
    else if (tries++ < 20) setTimeout(bind, 1000);
  });
  const close = () => {
    try {
      ws.close();
    } catch {
      /* already closed */
    }
    client.delete(`Subscription/${sub.id}`, { keepalive: true }).catch(() => {});
  };
  globalThis.addEventListener?.('pagehide', close);
  return { id: sub.id, socket: ws, close };
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
