/**
 * Types for `signal.js` (plain JavaScript so that Node 20 runs it directly). Keep the two files
 * in step.
 */
import type { SignalingServerOptions } from './signaling.d.ts';

/** Port of `npm run signal` unless `--port` says otherwise. */
export declare const DEFAULT_PORT: 9000;

/** Address of `npm run signal` unless `--host` says otherwise: this machine only. */
export declare const DEFAULT_HOST: '127.0.0.1';

/** Options of `startSignalServer`. */
export interface SignalServerOptions extends SignalingServerOptions {
  /**
   * Port to listen on; 0 picks a free one.
   * @default 9000
   */
  port?: number;
  /**
   * Address to listen on.
   * @default '127.0.0.1'
   */
  host?: string;
}

/** A signaling server started by `startSignalServer`. */
export interface RunningSignalServer {
  /** The address it listens on, as given. */
  readonly host: string;
  /** The port it listens on (the one picked when 0 was asked for). */
  readonly port: number;
  /** Its URL path, e.g. `'/signal'`. */
  readonly path: string;
  /** Its base URL, e.g. `'http://127.0.0.1:9000/signal'`; PeerJS's id endpoint is `<url>/<key>/id`. */
  readonly url: string;
  /** Closes sockets, `peer`'s timers and the http server; idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a PeerJS signaling server on its own http server and resolves once it listens.
 *
 * @example
 * const server = await startSignalServer({ port: 0 });
 * console.log(await (await fetch(`${server.url}/peerjs/id`)).text());
 * await server.close();
 */
export declare function startSignalServer(options?: SignalServerOptions): Promise<RunningSignalServer>;
