import type { FromWorker, ToWorker } from '../../protocol/messages.ts';

export interface WorkerLinkEvents {
  items(items: FromWorker[]): void;
  /** The worker is gone (closed itself, crashed, ran out of memory); not called after `terminate`. */
  died(reason: string): void;
}

/**
 * One worker of a pool as its node sees it, wherever the worker runs: in this page
 * (`WorkerLink`) or in a peer's sandbox (`RemoteWorkerLink`).
 */
/** Joins two workers by a MessageChannel, each end handed to its worker under `key`; false when a link cannot hand ports. */
export function joinByChannel(a: PoolWorkerLink, b: PoolWorkerLink, key: string): boolean {
  if (!a.handPort || !b.handPort) return false;
  const channel = new MessageChannel();
  a.handPort(key, channel.port1);
  b.handPort(key, channel.port2);
  return true;
}

export interface PoolWorkerLink {
  readonly id: string;
  readonly alive: boolean;
  /**
   * Sends `item` with the rest of this turn's items, or at once (with what waits before it) when
   * `now`: the worker is idle and waits for it.
   */
  send(item: ToWorker, now?: boolean): void;
  /** Stops the worker now; no `died` event follows. */
  terminate(): void;
  /** Resolves once the worker takes tasks. */
  ready(): Promise<unknown>;
  /** The TensorFlow.js backend its tasks get. */
  backend(): Promise<string | null>;
  /** Transfers `port` to the worker, kept there under `key`; absent where the worker is not in this page. */
  handPort?(key: string, port: MessagePort): void;
}
