/**
 * The room's workers need the network for one thing: the wasm backend's binaries, which they fetch
 * from the app. sandbox.html's own policy (`connect-src 'self'`) would let room code reach any of
 * the app's URLs, the signaling server's WebSocket among them, so this page adds a second policy
 * before it starts any worker: connections only to exactly those files. A worker keeps the
 * policies of the page that made it, and every policy must allow a connection.
 */
export function allowConnectionsOnlyTo(urls: readonly string[]): void {
  const meta = document.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  // A source with a path that does not end in '/' matches that file only. A source's query is
  // ignored in matching (and the browser warns of it), so it is left out.
  meta.content = `connect-src ${urls.map((url) => url.replace(/[?#].*$/, '').replace(/[;,\s]/g, encodeURIComponent)).join(' ')}`;
  document.head.append(meta);
}
