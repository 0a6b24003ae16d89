import * as Comlink from 'comlink';
import { EnvelopeBatcher } from '../../protocol/envelope-batcher.ts';
import type { FromWorker, ToWorker } from '../../protocol/messages.ts';
import { decodeFromWorker } from '../../protocol/validate.ts';
import type { ChannelHandover, WorkerBootstrap, WorkerConfig, WorkerControl } from '../../protocol/worker-boot.ts';
import type { PoolWorkerLink, WorkerLinkEvents } from './pool-worker-link.ts';

export type WorkerFactory = () => Worker;

let lockCounter = 0;
const pageToken = Math.random().toString(36).slice(2);

/**
 * One Web Worker as the host sees it: a batched outgoing queue (one postMessage per turn however
 * many items), validated incoming envelopes, a Comlink control channel, and death detection.
 * Death is seen three ways: the worker announces its own close(); its liveness lock is released
 * (the lock is held for the worker's lifetime, so the host's request for it is granted only when
 * the worker is gone, whatever killed it); or an error event before it started.
 */
export class WorkerLink implements PoolWorkerLink {
  readonly id: string;
  readonly control: Comlink.Remote<WorkerControl>;
  #worker: Worker;
  #alive = true;
  #events: WorkerLinkEvents;
  #outbox = new EnvelopeBatcher<ToWorker>((envelope) => {
    if (this.#alive) this.#worker.postMessage(envelope);
  });

  /** `handover`: tasks and results go over this DataChannel instead of the worker's own port (see WorkerBootstrap). */
  constructor(id: string, nodeId: string, factory: WorkerFactory, events: WorkerLinkEvents, config: WorkerConfig = {}, handover?: ChannelHandover) {
    this.id = id;
    this.#events = events;
    this.#worker = factory();
    const channel = new MessageChannel();
    const lockName = `raybox-worker-${pageToken}-${lockCounter++}`;
    const bootstrap: WorkerBootstrap = { rayboxBootstrap: { workerId: id, nodeId, lockName, config }, control: channel.port2 };
    const transfer: Transferable[] = [channel.port2];
    if (handover) {
      bootstrap.channel = handover;
      transfer.push(handover.channel as unknown as Transferable, handover.store);
    }
    this.#worker.postMessage(bootstrap, transfer);
    this.control = Comlink.wrap<WorkerControl>(channel.port1);
    this.#worker.addEventListener('message', (event: MessageEvent) => this.#receive(event.data));
    this.#worker.addEventListener('messageerror', () => console.error(`raybox: a message from worker ${id} could not be read.`));
    let started = false;
    this.#worker.addEventListener('error', (event: ErrorEvent) => {
      if (!started) this.#die(`the worker script failed to start: ${event.message || 'unknown error'}`);
    });
    void this.control.ready().then(() => {
      started = true;
      if (!this.#alive) return;
      // Opaque origins (a peer's sandbox) have no locks: there, death is seen by the other two ways.
      navigator.locks
        ?.request(lockName, () => this.#die('the worker stopped (closed, crashed or ran out of memory)'))
        .catch(() => undefined);
    });
  }

  ready(): Promise<unknown> {
    return this.control.ready();
  }

  backend(): Promise<string | null> {
    return this.control.backend();
  }

  handPort(key: string, port: MessagePort): void {
    if (this.#alive) void this.control.takePort(key, Comlink.transfer(port, [port])).catch(() => undefined);
  }

  get alive(): boolean {
    return this.#alive;
  }

  send(item: ToWorker, now = false): void {
    if (!this.#alive) return;
    this.#outbox.send(item);
    if (now) this.#outbox.flush();
  }

  /** Stops the worker now. No `died` event follows: the caller knows. */
  terminate(): void {
    if (!this.#alive) return;
    this.#alive = false;
    this.#worker.terminate();
    this.control[Comlink.releaseProxy]();
  }

  #receive(data: unknown): void {
    if (!this.#alive) return;
    let items: FromWorker[];
    try {
      items = decodeFromWorker(data);
    } catch (error) {
      console.error(`raybox: dropped a bad message from worker ${this.id}: ${String(error)}`);
      return;
    }
    const closing = items.some((item) => item.type === 'closing');
    this.#events.items(items);
    if (closing) this.#die('the worker closed itself');
  }

  #die(reason: string): void {
    if (!this.#alive) return;
    this.#alive = false;
    this.#worker.terminate();
    this.#events.died(reason);
  }
}
