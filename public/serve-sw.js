/*
 * raybox Serve's Service Worker: answers same-origin `fetch('/serve/…')` from any tab or iframe by
 * forwarding the request over a MessageChannel to a page that hosts Serve applications. Every
 * other request is left alone (no respondWith at all), so the server's headers, cross-origin
 * isolation included, reach pages untouched. It keeps no state: browsers stop idle service
 * workers, so each request asks the open pages which one hosts (pages answer from their own state).
 * A plain script on purpose: Vite does not bundle service workers.
 */
const PROBE_MS = 1000;
const REQUEST_MS = 60000;

self.addEventListener('install', () => self.skipWaiting());
// Control pages that were open before this worker, so their fetches come here too.
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname !== '/serve' && !url.pathname.startsWith('/serve/')) return;
  event.respondWith(forward(event.request));
});

/** Posts a message with a port and waits for one answer on it, or `undefined` after `ms`. */
function ask(client, message, ms, transfer = []) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(undefined), ms);
    channel.port1.onmessage = (e) => {
      clearTimeout(timer);
      resolve(e.data);
    };
    client.postMessage(message, [channel.port2, ...transfer]);
  });
}

async function findHost() {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  return new Promise((resolve) => {
    let left = windows.length;
    if (left === 0) resolve(undefined);
    for (const client of windows) {
      ask(client, { type: 'raybox-serve-probe' }, PROBE_MS).then((answer) => {
        if (answer && answer.hosting) resolve(client);
        else if (--left === 0) resolve(undefined);
      });
    }
  });
}

function json(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

async function forward(request) {
  const host = await findHost();
  if (!host) {
    return json(503, { error: 'No page hosts a raybox Serve application right now. Open the app and run serve.run(...) in it, then retry.' });
  }
  const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
  const message = {
    type: 'raybox-serve-request',
    request: { method: request.method, url: request.url, headers: Object.fromEntries(request.headers), body },
  };
  const answer = await ask(host, message, REQUEST_MS);
  if (!answer) return json(504, { error: 'The page hosting the Serve application did not answer in time (it may have closed).' });
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
