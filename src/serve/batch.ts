/**
 * Request batching (`serve.batch`): callers pass one item and get one result; the wrapped function
 * gets a list. A batch is flushed when it reaches `maxBatchSize` or `batchWaitTimeoutS` after its
 * first item, whichever comes first. Platform-free: it runs in replicas (workers) and in the page.
 */
import { ServeConfigError } from './errors.ts';

export interface BatchOptions {
  /** Most items handed to the function at once (default 10). */
  maxBatchSize?: number;
  /** Seconds the first item of a batch waits for more (default 0.01). */
  batchWaitTimeoutS?: number;
}

export type BatchFunction<T, R> = (items: T[]) => Promise<R[]> | R[];

/** What `serve.batch` marks its result with, so a function deployment can send the inner function. */
export const batchSpecKey: unique symbol = Symbol.for('raybox.serve.batch');

export interface BatchSpec {
  fn: (...args: never[]) => unknown;
  options: Required<BatchOptions>;
}

export function validateBatchOptions(options: BatchOptions | undefined): Required<BatchOptions> {
  const { maxBatchSize = 10, batchWaitTimeoutS = 0.01, ...rest } = options ?? {};
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw new ServeConfigError(`serve.batch() got unknown option(s) ${unknown.join(', ')}; it takes maxBatchSize and batchWaitTimeoutS.`);
  }
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) {
    throw new ServeConfigError(`serve.batch(): maxBatchSize must be an integer ≥ 1 (got ${String(maxBatchSize)}). Use 1 to turn batching off.`);
  }
  if (typeof batchWaitTimeoutS !== 'number' || !(batchWaitTimeoutS >= 0) || !Number.isFinite(batchWaitTimeoutS)) {
    throw new ServeConfigError(`serve.batch(): batchWaitTimeoutS must be a finite number of seconds ≥ 0 (got ${String(batchWaitTimeoutS)}).`);
  }
  return { maxBatchSize, batchWaitTimeoutS };
}

/**
 * Told the size of every batch this realm runs (a replica's worker counts them for the dashboard),
 * and the tags of its items that had one (requests the dashboard follows).
 */
export type BatchObserver = (size: number, tags: number[] | undefined) => void;
let batchObserver: BatchObserver | undefined;

export function observeBatches(observer: BatchObserver | undefined): void {
  batchObserver = observer;
}

/** The tag items get while `withCallTag` runs: a followed request's number. */
let callTag: number | undefined;

/** Runs `call` with `tag` on every item it hands a batcher synchronously (before its first await). */
export function withCallTag<T>(tag: number, call: () => T): T {
  const previous = callTag;
  callTag = tag;
  try {
    return call();
  } finally {
    callTag = previous;
  }
}

interface Pending<T, R> {
  item: T;
  tag: number | undefined;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Wraps `fn` so that single calls are gathered into lists. An item whose result is an `Error`
 * fails only its caller; a function that throws fails the whole batch.
 */
export function makeBatcher<T, R>(fn: BatchFunction<T, R>, options?: BatchOptions): ((item: T) => Promise<R>) & { [batchSpecKey]: BatchSpec } {
  const { maxBatchSize, batchWaitTimeoutS } = validateBatchOptions(options);
  let pending: Pending<T, R>[] = [];
  /** Items of `pending` with a tag: none unless the dashboard follows requests. */
  let tagged = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let self: unknown;

  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    const anyTagged = tagged > 0;
    pending = [];
    tagged = 0;
    if (batch.length === 0) return;
    void run(batch, anyTagged);
  };

  const run = async (batch: Pending<T, R>[], anyTagged: boolean): Promise<void> => {
    if (batchObserver) {
      let tags: number[] | undefined;
      if (anyTagged) for (const p of batch) if (p.tag !== undefined) (tags ??= []).push(p.tag);
      batchObserver(batch.length, tags);
    }
    try {
      const results = await fn.call(self, batch.map((p) => p.item));
      if (!Array.isArray(results) || results.length !== batch.length) {
        throw new TypeError(
          `A serve.batch function got ${batch.length} item(s) and must return a list of as many results ` +
            `(got ${Array.isArray(results) ? `${results.length} results` : typeof results}).`,
        );
      }
      batch.forEach((p, i) => {
        const result = results[i] as R;
        if (result instanceof Error) p.reject(result);
        else p.resolve(result);
      });
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  };

  const batched = function (this: unknown, item: T): Promise<R> {
    // Methods defined as class fields call with the instance as `this`; keep it for `fn`.
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the batch runs later, with the callers' instance
    if (this !== undefined && this !== globalThis) self = this;
    return new Promise<R>((resolve, reject) => {
      pending.push({ item, tag: callTag, resolve, reject });
      if (callTag !== undefined) tagged++;
      if (pending.length >= maxBatchSize) flush();
      else if (timer === undefined) timer = setTimeout(flush, batchWaitTimeoutS * 1000);
    });
  };
  return Object.assign(batched, { [batchSpecKey]: { fn: fn as BatchSpec['fn'], options: { maxBatchSize, batchWaitTimeoutS } } });
}
