/**
 * Types for `signaling.js` (plain JavaScript so that Node 20 runs it without a build step).
 * Keep the two files in step.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Express } from 'express';

/** The key PeerJS clients send unless told otherwise. */
export declare const DEFAULT_KEY: 'peerjs';

/** Where the signaling server lives when nobody says otherwise. */
export declare const DEFAULT_PATH: '/signal';

/** Options of a signaling server; all optional. */
export interface SignalingServerOptions {
  /**
   * URL path of the signaling server on its http server. PeerJS clients are given the same path.
   * @default '/signal'
   */
  path?: string;
  /**
   * API key clients must send (PeerJS's `key` option).
   * @default 'peerjs'
   */
  key?: string;
  /**
   * Whether `GET <path>/<key>/peers` lists the connected peer ids.
   * @default false
   */
  allowDiscovery?: boolean;
  /**
   * Express's `trust proxy` setting, for a server behind a reverse proxy.
   * @default false
   */
  proxied?: boolean | string;
  /**
   * Called with errors of signaling sockets, which must not crash the server.
   * @default logs a warning
   */
  onError?: (error: Error) => void;
}

/** A signaling server attached to an http server by `attachSignaling`. */
export interface SignalingServer {
  /** Middleware to add to the host's connect/express stack; passes other paths on. */
  readonly app: Express;
  /** The normalised path, e.g. `'/signal'`. */
  readonly path: string;
  /** Whether an upgrade request is one this server takes (a PeerJS client's WebSocket). */
  handles(request: IncomingMessage): boolean;
  /** Stops `peer`'s timers and closes its sockets; idempotent; also runs when the http server closes. */
  close(): Promise<void>;
}

/** Returns `path` with one leading slash and no trailing slash (`'/'` stays `'/'`). */
export declare function normalizeSignalingPath(path: string): string;

/** Attaches a PeerJS signaling server to `httpServer` at `options.path`. */
export declare function attachSignaling(
  httpServer: Server,
  options?: SignalingServerOptions,
): SignalingServer;
