import type { ToWorker } from '../protocol/messages.ts';
import type { PoolWorkerLink, WorkerLinkEvents } from '../workers/host/pool-worker-link.ts';
import type { HeadToSandbox } from './room-messages.ts';

/**
 * A worker in a joiner's sandbox, as the head's pool node sees it. Items for it are batched per
 * turn into one `work` message; the joiner's answers arrive through `deliver`/`died`/`spawned`.
 */
export class RemoteWorkerLink implements PoolWorkerLink {
  readonly id: string;
  readonly events: WorkerLinkEvents;
  #send: (message: HeadToSandbox) => void;
  #items: ToWorker[] = [];
  #scheduled = false;
  #alive = true;
  #ready: Promise<void>;
  #markReady: () => void = () => {};
  #backend: string | null = null;

  constructor(id: string, send: (message: HeadToSandbox) => void, events: WorkerLinkEvents) {
    this.id = id;
    this.#send = send;
    this.events = events;
    this.#ready = new Promise((resolve) => (this.#markReady = resolve));
    send({ type: 'spawn', workerId: id });
  }

  get alive(): boolean {
    return this.#alive;
  }

  send(item: ToWorker): void {
    if (!this.#alive) return;
    this.#items.push(item);
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      if (!this.#alive || this.#items.length === 0) return;
      const items = this.#items;
      this.#items = [];
      this.#send({ type: 'work', workerId: this.id, items });
    });
  }

  terminate(): void {
    if (!this.#alive) return;
    this.#alive = false;
    this.#send({ type: 'terminate', workerId: this.id });
  }

  ready(): Promise<void> {
    return this.#ready;
  }

  backend(): Promise<string | null> {
    return this.#ready.then(() => this.#backend);
  }

  /** The joiner started the worker. */
  spawned(backend: string | null): void {
    this.#backend = backend;
    this.#markReady();
  }

  /** The joiner reports the worker gone. */
  died(reason: string): void {
    if (!this.#alive) return;
    this.#alive = false;
    this.events.died(reason);
  }
}
