import type { FromWorker, ToWorker } from '../protocol/messages.ts';
import { decodeToWorker } from '../protocol/validate.ts';
import type { ChannelHandover, DataPort } from '../protocol/worker-boot.ts';
import { envelopeOf, itemsOf, type Envelope } from '../protocol/wire-form.ts';
import { fillHeld, heldIds, keepLarge, type HeldStore } from './held-objects.ts';
import { PortHeldStore } from './held-store-port.ts';
import { PeerChannel } from './peer-channel.ts';

/**
 * A joiner's end of one worker's DataChannel to the head. Where the browser can hand a
 * DataChannel to a worker, this runs inside the worker itself, so a task and its result cross no
 * thread but the worker's; elsewhere it runs in the sandbox page and passes items on to the
 * worker. Either way it validates what the head sends, fills in arguments this node holds, and
 * keeps large results in the node's store before the rest goes back to the head.
 */
export class WorkerChannel {
  #channel: PeerChannel;
  #store: HeldStore;
  #deliver: (items: ToWorker[]) => void;
  /** Batches waiting for held objects; later batches wait behind them, so order is kept. */
  #pending: Promise<void> | undefined;

  constructor(raw: RTCDataChannel, store: HeldStore, deliver: (items: ToWorker[]) => void, closed: () => void) {
    this.#store = store;
    this.#deliver = deliver;
    this.#channel = new PeerChannel(raw, {
      message: (value) => this.#receive(value),
      invalid: (reason) => console.warn(`raybox: dropped a bad message from the head: ${reason}`),
      closed,
    });
  }

  /** Results for the head. */
  send(items: FromWorker[]): void {
    this.#channel.send(envelopeOf(keepLarge(items, (id, object) => this.#store.keep(id, object))));
  }

  close(): void {
    this.#channel.close();
  }

  #receive(value: unknown): void {
    let items: ToWorker[];
    try {
      items = decodeToWorker(value);
    } catch (error) {
      console.warn(`raybox: dropped a bad message from the head: ${String(error)}`);
      return;
    }
    const ids = heldIds(items);
    if (ids.length === 0 && !this.#pending) return this.#deliver(items);
    const previous = this.#pending ?? Promise.resolve();
    const filled = Promise.all([previous, this.#store.get(ids)]).then(([, objects]) => {
      const found = new Map(ids.map((id, i) => [id, objects[i]]));
      const ready: ToWorker[] = [];
      const lost: FromWorker[] = [];
      for (const item of items) {
        try {
          ready.push(...fillHeld([item], (id) => found.get(id)));
        } catch (error) {
          lost.push(lostItem(item, error));
        }
      }
      if (ready.length > 0) this.#deliver(ready);
      if (lost.length > 0) this.send(lost);
    });
    this.#pending = filled;
    void filled.then(() => {
      if (this.#pending === filled) this.#pending = undefined;
    });
  }
}

/** The answer for work whose argument this node no longer holds: it fails instead of hanging. */
function lostItem(item: ToWorker, error: unknown): FromWorker {
  const why = error instanceof Error ? error.message : String(error);
  const data = { name: 'ObjectLostError', message: `An argument of this task was lost: ${why}. Submit the task again.` };
  const now = Date.now();
  if (item.type === 'createActor') return { type: 'actorFailed', actorId: item.actorId, error: data };
  const taskId = 'taskId' in item ? item.taskId : '';
  return { type: 'failed', taskId, error: data, start: now, end: now };
}

/**
 * Inside a worker: the DataChannel its sandbox handed over, as the worker's data port. Envelopes
 * the worker posts go to the head; what the head sends arrives as message events.
 */
export function channelDataPort(handover: ChannelHandover): DataPort {
  let listener: ((event: MessageEvent) => void) | undefined;
  const endpoint = new WorkerChannel(
    handover.channel,
    new PortHeldStore(handover.store),
    (items) => listener?.(new MessageEvent('message', { data: envelopeOf(items) })),
    () => undefined, // the sandbox stops this worker when the head is gone
  );
  return {
    // The worker's own outbox made this envelope, in this realm: its items are unpacked, not checked.
    postMessage: (message) => endpoint.send((itemsOf(message as Envelope) ?? []) as FromWorker[]),
    addEventListener: (_type, listen) => {
      listener = listen;
    },
  };
}
