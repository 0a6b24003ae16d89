import { PROTOCOL_VERSION, type FromWorker } from '../../protocol/messages.ts';

/**
 * Collects the items a worker sends and posts them as one envelope at the end of the current
 * turn, so a batch of a thousand tasks that finish synchronously costs one message back.
 *
 * A value the encoder let through may still fail to travel (a class instance holding a function,
 * a platform object postMessage cannot clone). Then the batch goes again item by item, and an
 * item that cannot travel becomes a failure of its task saying why, so the head's `get` settles
 * and this worker goes on serving.
 */
export class Outbox {
  #items: FromWorker[] = [];
  #transfers: (Transferable[] | undefined)[] = [];
  #scheduled = false;
  #post: (message: unknown, transfer: Transferable[]) => void;

  constructor(post: (message: unknown, transfer: Transferable[]) => void) {
    this.#post = post;
  }

  send(item: FromWorker, transfer?: Transferable[]): void {
    this.#items.push(item);
    this.#transfers.push(transfer && transfer.length > 0 ? transfer : undefined);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  flush(): void {
    this.#scheduled = false;
    if (this.#items.length === 0) return;
    const items = this.#items;
    const transfers = this.#transfers;
    this.#items = [];
    this.#transfers = [];
    try {
      this.#post({ v: PROTOCOL_VERSION, items }, transfers.flatMap((t) => t ?? []));
    } catch {
      // A failed postMessage transfers nothing, so each item can go again on its own.
      items.forEach((item, i) => this.#postAlone(item, transfers[i] ?? []));
    }
  }

  #postAlone(item: FromWorker, transfer: Transferable[]): void {
    try {
      this.#post({ v: PROTOCOL_VERSION, items: [item] }, transfer);
    } catch (error) {
      this.#post({ v: PROTOCOL_VERSION, items: [cannotTravel(item, error)] }, []);
    }
  }
}

/** What goes instead of an item that could not be sent. */
function cannotTravel(item: FromWorker, error: unknown): FromWorker {
  const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const advice =
    'Return or yield plain data (numbers, strings, arrays, plain objects, typed arrays, Maps, Sets, Dates); ' +
    'convert class instances and platform objects (canvases, streams, sockets) to plain data first.';
  switch (item.type) {
    case 'done':
    case 'yield': {
      const what = item.type === 'done' ? 'The value this task returned' : `Value ${item.index} this task yielded`;
      const message = `${what} cannot be sent to the head (${why}). ${advice}`;
      const time = performance.timeOrigin + performance.now();
      return { type: 'failed', taskId: item.taskId, error: { name: 'RayboxUsageError', message }, start: item.type === 'done' ? item.start : time, end: time };
    }
    default:
      return { type: 'log', taskId: null, level: 'error', text: `raybox: a '${item.type}' message could not be sent to the head (${why}). ${advice}`, time: Date.now() };
  }
}
