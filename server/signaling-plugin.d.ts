/**
 * Types for `signaling-plugin.js` (plain JavaScript so that Node 20 loads it without a build
 * step). Keep the two files in step.
 */
import type { Plugin } from 'vite';
import type { SignalingServerOptions } from './signaling.d.ts';

/** Options of `signalingPlugin`. */
export type SignalingPluginOptions = Omit<SignalingServerOptions, 'onError'>;

/**
 * Mounts a PeerJS signaling server at `path` (default `'/signal'`) of the Vite dev, preview and
 * Vitest browser servers, leaving Vite's hot-reload WebSocket alone, and tells the page where it
 * is through `import.meta.env.VITE_SIGNAL_SAME_ORIGIN` (dev) or
 * `import.meta.env.VITE_SIGNAL_PREVIEW_PATH` (build). A server in middleware mode has no http server
 * of its own and gets nothing: its owner calls `attachSignaling` from `signaling.js`.
 *
 * @example
 * // vite.config.ts
 * export default defineConfig({ plugins: [signalingPlugin()] });
 */
export declare function signalingPlugin(options?: SignalingPluginOptions): Plugin;
