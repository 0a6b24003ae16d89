import { envelopeOf, type Envelope } from './wire-form.ts';

export type { Envelope };

/** No transfers: shared, since most envelopes move no buffers. */
const NOTHING: Transferable[] = [];

export interface EnvelopeBatcherOptions<T> {
  /** Hold items until `release()`: the far end is not listening yet, and what is sent now is lost. */
  held?: boolean;
  /**
   * What to send instead of an item that cannot travel (postMessage refused it). Without it, a
   * batch that cannot be sent is dropped: the host side sends only what its own code built.
   */
  unsendable?: (item: T, error: unknown) => T;
}

/**
 * Collects the items sent in one turn and posts them as one envelope (`wire-form.ts`) at its end (a microtask), so
 * a thousand tasks submitted, or finished, in one turn cost one message. The head's links to
 * local and remote workers and the worker's own outbox all batch this way. A sender that knows
 * the far end is waiting for this very item (an idle worker given a task, a worker's results of
 * the message it just handled) calls `flush` at once: the far end starts on it while this side
 * finishes its turn. Only then: posting every first item of a turn at once made each side answer
 * the other's lone items with lone items, and a million-task queue drained at a third of the rate.
 *
 * When `unsendable` is given and a batch fails to post (a value the encoder let through, such as
 * a class instance holding a function, that the structured clone refuses), nothing was
 * transferred, so the items go again one by one, and one that still cannot travel is replaced by
 * what `unsendable` makes of it: its task fails saying why, and the sender goes on.
 */
export class EnvelopeBatcher<T> {
  #items: T[] = [];
  #transfers: (Transferable[] | undefined)[] = [];
  #scheduled = false;
  /** Some item waiting has buffers to transfer. */
  #transferring = false;
  #held: boolean;
  readonly #post: (envelope: Envelope, transfer: Transferable[]) => void;
  readonly #unsendable: ((item: T, error: unknown) => T) | undefined;
  /** The flush at the end of a turn; a `flush` called before it leaves it nothing or what came since. */
  readonly #flushAtTurnEnd = () => {
    this.#scheduled = false;
    this.flush();
  };

  constructor(post: (envelope: Envelope, transfer: Transferable[]) => void, options: EnvelopeBatcherOptions<T> = {}) {
    this.#post = post;
    this.#held = options.held ?? false;
    this.#unsendable = options.unsendable;
  }

  send(item: T, transfer?: Transferable[]): void {
    this.#items.push(item);
    const moves = transfer !== undefined && transfer.length > 0;
    this.#transfers.push(moves ? transfer : undefined);
    if (moves) this.#transferring = true;
    if (this.#scheduled || this.#held) return;
    this.#scheduled = true;
    queueMicrotask(this.#flushAtTurnEnd);
  }

  /** Starts sending, beginning with what was held. */
  release(): void {
    this.#held = false;
    this.flush();
  }

  /** Posts what is waiting now, as one envelope (nothing while held). */
  flush(): void {
    if (this.#held || this.#items.length === 0) return;
    const items = this.#items;
    const transfers = this.#transfers;
    const all = this.#transferring ? transfers.flatMap((t) => t ?? []) : NOTHING;
    this.#items = [];
    this.#transfers = [];
    this.#transferring = false;
    const unsendable = this.#unsendable;
    if (!unsendable) return this.#post(envelopeOf(items), all);
    try {
      this.#post(envelopeOf(items), all);
    } catch {
      // A failed postMessage transfers nothing, so each item can go again on its own.
      items.forEach((item, i) => {
        try {
          this.#post(envelopeOf([item]), transfers[i] ?? []);
        } catch (error) {
          this.#post(envelopeOf([unsendable(item, error)]), []);
        }
      });
    }
  }
}
