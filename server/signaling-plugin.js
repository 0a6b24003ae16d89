// @ts-check
/**
 * Vite plugin: a PeerJS signaling server at a path of the page's own origin, in the dev server,
 * the preview server and Vitest's browser-test server, so one port serves page and signaling.
 *
 * It also tells the page where that server is, through build-time constants that
 * `src/net/signaling-config.ts` reads:
 * - `import.meta.env.VITE_SIGNAL_SAME_ORIGIN` (dev server): the signaling path; the page was
 *   served by this server, so its own origin has signaling.
 * - `import.meta.env.VITE_SIGNAL_PREVIEW_PATH` (build): the signaling path `vite preview` serves.
 *   A build cannot know where it will be served, so the page uses it only when loaded from a
 *   loopback host, as `vite preview` is here; anywhere else it falls back to the public server.
 *
 * Types for TypeScript callers are in `signaling-plugin.d.ts`.
 */
import { attachSignaling, normalizeSignalingPath, DEFAULT_PATH } from './signaling.js';

/**
 * @param {import('./signaling-plugin.d.ts').SignalingPluginOptions} [options]
 * @returns {import('vite').Plugin}
 */
export function signalingPlugin(options = {}) {
  const { path: requestedPath = DEFAULT_PATH, ...serverOptions } = options;
  const path = normalizeSignalingPath(requestedPath);
  if (path === '/') {
    throw new TypeError('signalingPlugin: path "/" would hide the page; use a path such as "/signal".');
  }

  /** @param {import('vite').ViteDevServer | import('vite').PreviewServer} server */
  const mount = (server) => {
    // Middleware mode (Vitest's own Node-side servers, or an app that owns its http server): there
    // is no server to take upgrades from. An owner that wants signaling calls `attachSignaling`.
    if (server.httpServer === null) return;
    const { logger } = server.config;
    // An https dev server is an http2 server with HTTP/1 allowed; both emit 'upgrade' the same way.
    const httpServer = /** @type {import('node:http').Server} */ (server.httpServer);
    const signaling = attachSignaling(httpServer, {
      ...serverOptions,
      path,
      onError: (error) => logger.warn(`[signaling] ${error.message}`, { timestamp: true }),
    });
    // Added directly (not from a returned post hook), so it runs before Vite's own middleware.
    server.middlewares.use(signaling.app);
  };

  return {
    name: 'raybox:signaling',
    config(_config, { command }) {
      const name = command === 'build' ? 'VITE_SIGNAL_PREVIEW_PATH' : 'VITE_SIGNAL_SAME_ORIGIN';
      return { define: { [`import.meta.env.${name}`]: JSON.stringify(path) } };
    },
    configureServer: mount,
    configurePreviewServer: mount,
  };
}
