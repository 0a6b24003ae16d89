import { EnvelopeBatcher } from '../protocol/envelope-batcher.ts';
import type { FromWorker, ToWorker } from '../protocol/messages.ts';
import { decodeFromWorker } from '../protocol/validate.ts';
import type { PoolWorkerLink, WorkerLinkEvents } from '../workers/host/pool-worker-link.ts';
import { PeerChannel } from './peer-channel.ts';

/** How a remote worker reaches the rest of its joiner. */
export interface RemoteWorkerHost {
  /** The DataChannel for this worker's tasks and results (the joiner opens the same number). */
  channel: RTCDataChannel;
  /** Sends the joiner's node a start (`channel` is the number) or a stop. */
  spawn(): void;
  terminate(): void;
  /** A malformed message from the worker. */
  offence(reason: string): void;
  /** The worker's channel closed: its number may be used again. */
  released(): void;
}

/**
 * A worker in a joiner's sandbox, as the head's pool node sees it. Items for it are batched per
 * turn into one envelope on its own DataChannel; results come back the same way and are checked
 * here. Nothing is sent before the joiner says the worker started: the joiner opens its end of
 * the channel then, and what arrived before would be lost.
 */
export class RemoteWorkerLink implements PoolWorkerLink {
  readonly id: string;
  readonly events: WorkerLinkEvents;
  #host: RemoteWorkerHost;
  #channel: PeerChannel;
  #alive = true;
  /** Held until the joiner says the worker started. */
  #outbox = new EnvelopeBatcher<ToWorker>(
    (envelope) => {
      if (this.#alive) this.#channel.send(envelope);
    },
    { held: true },
  );
  #ready: Promise<void>;
  #markReady: () => void = () => {};
  #backend: string | null = null;

  constructor(id: string, host: RemoteWorkerHost, events: WorkerLinkEvents) {
    this.id = id;
    this.#host = host;
    this.events = events;
    this.#ready = new Promise((resolve) => (this.#markReady = resolve));
    this.#channel = new PeerChannel(host.channel, {
      message: (value) => this.#receive(value),
      invalid: (reason) => host.offence(reason),
      closed: () => {
        host.released();
        this.died('its channel closed');
      },
    });
    host.spawn();
  }

  get alive(): boolean {
    return this.#alive;
  }

  send(item: ToWorker, now = false): void {
    if (!this.#alive) return;
    this.#outbox.send(item);
    if (now) this.#outbox.flush();
  }

  terminate(): void {
    if (!this.#alive) return;
    this.#alive = false;
    this.#host.terminate();
    this.#channel.close();
  }

  ready(): Promise<void> {
    return this.#ready;
  }

  backend(): Promise<string | null> {
    return this.#ready.then(() => this.#backend);
  }

  /** The joiner started the worker and opened its end of the channel. */
  spawned(backend: string | null): void {
    this.#backend = backend;
    this.#markReady();
    this.#outbox.release();
  }

  /** The joiner reports the worker gone, or its channel closed. */
  died(reason: string): void {
    if (!this.#alive) return;
    this.#alive = false;
    this.#channel.close();
    this.events.died(reason);
  }

  #receive(value: unknown): void {
    if (!this.#alive) return;
    let items: FromWorker[];
    try {
      items = checkKept(decodeFromWorker(value));
    } catch (error) {
      return this.#host.offence(`bad results: ${String(error)}`);
    }
    this.events.items(items);
    if (items.some((item) => item.type === 'closing')) this.died('the worker closed itself');
  }
}

/** `kept` positions must name values of the item, each once. */
function checkKept(items: FromWorker[]): FromWorker[] {
  for (const item of items) {
    if (item.type !== 'done' || item.kept === undefined) continue;
    const kept: unknown = item.kept;
    if (!Array.isArray(kept) || kept.some((i) => !Number.isInteger(i) || i < 0 || i >= item.values.length) || new Set(kept).size !== kept.length) {
      throw new Error("a result's 'kept' list does not match its values");
    }
  }
  return items;
}
