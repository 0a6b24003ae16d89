/**
 * What workers send, handed to its consumer in slices of bounded work. A burst of results (a
 * thousand tasks finishing, several envelopes already waiting) handled in one macrotask would hold
 * the page's main thread for as long as it takes; here a macrotask stops after `budgetMs` and the
 * rest follows in the next one, so frames and input run in between. Order is kept: items are
 * consumed in the order they were pushed, and what arrives while a rest is pending queues behind it.
 * A small push into an empty queue is consumed at once, in the caller's turn: the round trip of a
 * single task pays nothing for this.
 */

export interface SlicedQueueOptions {
  /** Items handed to the consumer per call; the clock is read between calls. @default 128 */
  chunk?: number;
  /** Work per macrotask, in milliseconds, before the rest waits for the next one. @default 8 */
  budgetMs?: number;
  now?: () => number;
  /** Runs `next` in a later macrotask. @default a MessageChannel message (no timer clamping) */
  yieldTurn?: (next: () => void) => void;
}

interface Entry<O, T> {
  owner: O;
  items: readonly T[];
  /** Items before this index are consumed. */
  next: number;
}

export class SlicedQueue<O, T> {
  readonly #consume: (owner: O, items: readonly T[]) => void;
  readonly #chunk: number;
  readonly #budgetMs: number;
  readonly #now: () => number;
  readonly #yieldTurn: (next: () => void) => void;
  #entries: Entry<O, T>[] = [];
  #running = false;
  #scheduled = false;

  constructor(consume: (owner: O, items: readonly T[]) => void, options: SlicedQueueOptions = {}) {
    this.#consume = consume;
    this.#chunk = Math.max(1, options.chunk ?? 128);
    this.#budgetMs = options.budgetMs ?? 8;
    this.#now = options.now ?? (() => performance.now());
    this.#yieldTurn = options.yieldTurn ?? messageChannelTurn();
  }

  /** Items still to consume. */
  get pending(): number {
    let n = 0;
    for (const entry of this.#entries) n += entry.items.length - entry.next;
    return n;
  }

  push(owner: O, items: readonly T[]): void {
    if (items.length === 0) return;
    // Nothing waiting and within one chunk: consumed now, with no entry kept and no clock read.
    if (!this.#running && !this.#scheduled && this.#entries.length === 0 && items.length <= this.#chunk) {
      this.#running = true;
      try {
        this.#deliver(owner, items);
      } finally {
        this.#running = false;
      }
      // What the consumer's own work pushed meanwhile waited behind it.
      if (this.#entries.length > 0 && !this.#scheduled) this.#run();
      return;
    }
    this.#entries.push({ owner, items, next: 0 });
    if (!this.#running && !this.#scheduled) this.#run();
  }

  /**
   * Consumes `owner`'s pending items now, whatever the budget (a worker that died: what it sent
   * before it went still counts). Other owners' items keep their place.
   */
  drain(owner: O): void {
    const mine = this.#entries.filter((entry) => entry.owner === owner);
    if (mine.length === 0) return;
    this.#entries = this.#entries.filter((entry) => entry.owner !== owner);
    for (const entry of mine) {
      const rest = entry.next === 0 ? entry.items : entry.items.slice(entry.next);
      entry.next = entry.items.length;
      this.#deliver(owner, rest);
    }
  }

  /** Forgets `owner`'s pending items (a worker stopped on purpose: what it sent is moot). */
  drop(owner: O): void {
    this.#entries = this.#entries.filter((entry) => entry.owner !== owner);
  }

  /** A consumer that throws loses its slice, not the queue: the error is reported and the rest goes on. */
  #deliver(owner: O, items: readonly T[]): void {
    try {
      this.#consume(owner, items);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }

  #run(): void {
    this.#running = true;
    const start = this.#now();
    try {
      for (;;) {
        const entry = this.#entries[0];
        if (entry === undefined) return;
        const from = entry.next;
        const to = Math.min(entry.items.length, from + this.#chunk);
        // Advanced before the consumer runs, so a drain from inside it does not consume these twice.
        entry.next = to;
        if (to === entry.items.length) this.#entries.shift();
        this.#deliver(entry.owner, from === 0 && to === entry.items.length ? entry.items : entry.items.slice(from, to));
        if (this.#entries.length > 0 && this.#now() - start >= this.#budgetMs) {
          this.#scheduled = true;
          this.#yieldTurn(() => {
            this.#scheduled = false;
            this.#run();
          });
          return;
        }
      }
    } finally {
      this.#running = false;
    }
  }
}

/** A macrotask without the clamping of timers: one message on a channel of its own. */
function messageChannelTurn(): (next: () => void) => void {
  let channel: MessageChannel | undefined;
  const waiting: (() => void)[] = [];
  return (next) => {
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => waiting.shift()?.();
    }
    waiting.push(next);
    channel.port2.postMessage(null);
  };
}
