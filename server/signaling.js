// @ts-check
/**
 * A PeerJS signaling server (npm package `peer`) attached to an existing Node http server at one
 * path, sharing that server with whatever else it serves: Vite's page and hot-reload socket in
 * `signaling-plugin.js`, nothing else in `signal.js`.
 *
 * Plain ESM JavaScript with JSDoc types so that Node 20 runs it without a build step; the types
 * TypeScript callers see are in `signaling.d.ts`.
 *
 * Three things make `peer` share a server politely:
 * - Its WebSocket server is created with `noServer: true`. Left to itself, `peer` attaches a `ws`
 *   server to the http server's `upgrade` event, and that server answers every upgrade for another
 *   path with HTTP 400, which kills Vite's hot reload. Here one `upgrade` listener hands over only
 *   the upgrades for `<path>/peerjs` and leaves every other one to its own listener.
 * - `ExpressPeerServer` starts only when its express app is mounted (the express `mount` event);
 *   it is mounted at the signaling path under a small express app that the host server uses as
 *   connect middleware. Mounting waits until the http server listens, so a server that never
 *   listens (Vitest's own Node-side server) starts no timers.
 * - `peer` re-arms two `setTimeout`s forever and offers no way to stop them, which keeps Node alive
 *   after the server closed. The timers it creates are recorded (see `recordTimers`) and cleared
 *   on close.
 */
import express from 'express';
import { ExpressPeerServer } from 'peer';
import { WebSocketServer } from 'ws';

/** The key PeerJS clients send unless told otherwise. */
export const DEFAULT_KEY = 'peerjs';

/** Where the signaling server lives when nobody says otherwise. */
export const DEFAULT_PATH = '/signal';

/**
 * Returns `path` with one leading slash and no trailing slash (`'/'` stays `'/'`).
 * @param {string} path
 * @returns {string}
 */
export function normalizeSignalingPath(path) {
  const trimmed = path.trim().replace(/^\/+|\/+$/g, '');
  if (/[?#\s]/.test(trimmed)) {
    throw new TypeError(
      `Signaling path ${JSON.stringify(path)} must be a plain URL path such as "/signal" (no query, fragment or spaces).`,
    );
  }
  return `/${trimmed}`;
}

/**
 * Attaches a PeerJS signaling server to `httpServer` at `options.path`.
 *
 * The caller must add `signaling.app` to its connect/express middleware stack (it answers only
 * under the path and passes every other request on). Upgrades are routed by a listener this
 * function adds to `httpServer`. The signaling server closes with the http server, or earlier with
 * `signaling.close()`.
 *
 * @param {import('node:http').Server} httpServer
 * @param {import('./signaling.d.ts').SignalingServerOptions} [options]
 * @returns {import('./signaling.d.ts').SignalingServer}
 */
export function attachSignaling(httpServer, options = {}) {
  const path = normalizeSignalingPath(options.path ?? DEFAULT_PATH);
  const onError = options.onError ?? ((error) => console.warn(`[signaling] ${error.message}`));

  /** @type {WebSocketServer | undefined} */
  let wss;
  /** @type {Set<NodeJS.Timeout>} Timers `peer` created; see `recordTimers`. */
  const timers = new Set();
  let closed = false;

  const peerApp = ExpressPeerServer(httpServer, {
    // Relative to the mount point: the HTTP API answers at `<path>/<key>/id` and the WebSocket
    // at `<path>/peerjs`, which is where a PeerJS client given `path` looks for them.
    path: '/',
    key: options.key ?? DEFAULT_KEY,
    allow_discovery: options.allowDiscovery ?? false,
    proxied: options.proxied ?? false,
    // `peer` passes `{ path, server }`; only the path is kept, so `ws` never touches the server.
    createWebSocketServer: ({ path: wsPath }) => {
      wss = new WebSocketServer({ noServer: true, path: wsPath });
      return wss;
    },
  });
  // `peer` re-emits socket errors on its app; an EventEmitter 'error' without a listener throws
  // and would take the whole dev server down with it.
  peerApp.on('error', (error) => onError(error));

  const app = express();
  app.disable('x-powered-by');

  /** @param {import('node:http').IncomingMessage} request */
  const handles = (request) => wss !== undefined && !closed && wss.shouldHandle(request) === true;

  /**
   * @param {import('node:http').IncomingMessage} request
   * @param {import('node:stream').Duplex} socket
   * @param {Buffer} head
   */
  const onUpgrade = (request, socket, head) => {
    const server = wss;
    if (server === undefined || !handles(request)) return; // Someone else's upgrade: not a word.
    server.handleUpgrade(request, socket, head, (ws) => server.emit('connection', ws, request));
  };

  const start = () => {
    if (closed) return;
    recordTimers(timers, () => app.use(path, peerApp)); // Emits 'mount': `peer` starts here.
  };

  const close = async () => {
    if (closed) return;
    closed = true;
    httpServer.off('upgrade', onUpgrade);
    httpServer.off('listening', start);
    httpServer.off('close', close);
    for (const timer of timers) globalThis.clearTimeout(timer);
    timers.clear();
    const server = wss;
    if (server !== undefined) {
      for (const client of server.clients) client.terminate();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    }
  };

  httpServer.on('upgrade', onUpgrade);
  httpServer.once('close', close);
  if (httpServer.listening) start();
  else httpServer.once('listening', start);

  return { app, path, handles, close };
}

/**
 * Runs `fn` with `globalThis.setTimeout` replaced by a version that puts each timer it makes into
 * `timers` (and takes it out when it fires), and runs each such timer's callback the same way, so
 * that a timer re-armed from its own callback, as `peer` does, is recorded too. Recorded timers
 * are also unref'd: a signaling server that somebody forgot to close never keeps Node alive.
 *
 * Invariant: the replacement is in place only while `fn` or a recorded callback runs
 * synchronously; the original is restored before anything else can run.
 *
 * @template T
 * @param {Set<NodeJS.Timeout>} timers
 * @param {() => T} fn
 * @returns {T}
 */
function recordTimers(timers, fn) {
  const original = globalThis.setTimeout;
  /** @type {(callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => NodeJS.Timeout} */
  const recording = (callback, ms, ...args) => {
    const timer = original(() => {
      timers.delete(timer);
      recordTimers(timers, () => callback(...args));
    }, ms);
    timer.unref();
    timers.add(timer);
    return timer;
  };
  globalThis.setTimeout = /** @type {typeof setTimeout} */ (/** @type {unknown} */ (recording));
  try {
    return fn();
  } finally {
    globalThis.setTimeout = original;
  }
}
