import { get, GetTimeoutError, init, objectStoreStats, remote, shutdown, wait } from '../../src/index.ts';
import { nextTask } from './measure.ts';

/**
 * A million tiny tasks: submitted in one synchronous loop, drained with one `get`. Measures what
 * a huge backlog costs the page: wall time, tasks/s and the page's JS heap (the main thread's
 * isolate only; workers have heaps of their own). Figures are printed, never asserted.
 */

export interface MillionOptions {
  /** Tasks to submit. @default 1_000_000 */
  count?: number;
  /** `get` gives up after this many seconds; the result then says how many had finished. @default 170 */
  timeoutS?: number;
  /** Passed to init(). @default the runtime's default */
  numWorkers?: number;
}

interface Bytes {
  unit: 'B';
  value: number;
}

export interface MillionResult {
  count: number;
  numWorkers: number;
  /** Time of the submitting loop alone. */
  submit: { unit: 'ms'; value: number };
  /** From the first submission to the values in hand (or to the timeout), less the one forced gc() that measures `heap.queued`. */
  wall: { unit: 'ms'; value: number };
  rate: { unit: 'tasks/s'; value: number };
  timedOut: boolean;
  /** Tasks whose results were ready at the end (all of them unless timed out). */
  finished: number;
  /** Whether every value came back equal to its index. */
  valuesCorrect: boolean;
  /** usedJSHeapSize: before (after gc()), highest seen (sampled every 200 ms and at each phase), after dropping everything and gc(). */
  heap: {
    before: Bytes;
    peak: Bytes;
    afterSubmit: Bytes;
    /** Live heap with every task queued: after the submitting loop and a gc(), before any task ran. */
    queued: Bytes;
    /** (queued - before) / count: what one queued task costs (its record, return object, ref and events). */
    perQueuedTask: Bytes;
    /** (peak - before) / count, garbage not yet collected included. */
    peakPerTask: Bytes;
    after: Bytes;
    samples: number;
  } | null;
  /** Object store after the refs were dropped and garbage collected. */
  storeAfter: { count: number; bytes: Bytes };
}

function usedHeap(): number | undefined {
  return (performance as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize;
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

const bytes = (value: number): Bytes => ({ unit: 'B', value });

export async function runMillion(options: MillionOptions = {}): Promise<MillionResult> {
  const count = options.count ?? 1_000_000;
  await shutdown(); // start from a clean runtime whatever ran before
  const info = await init(options.numWorkers === undefined ? {} : { numWorkers: options.numWorkers });
  const identity = remote((i: number) => i);
  try {
    await get(identity.remote(0)); // the worker is up and has the function
    collectGarbage();
    await nextTask();
    const before = usedHeap();
    let peak = before ?? 0;
    let samples = 0;
    const sample = () => {
      const used = usedHeap();
      if (used !== undefined) peak = Math.max(peak, used);
      samples++;
      return used;
    };
    const sampler = setInterval(sample, 200);

    const t0 = performance.now();
    let refs = new Array<ReturnType<typeof identity.remote>>(count);
    for (let i = 0; i < count; i++) refs[i] = identity.remote(i);
    const submitMs = performance.now() - t0;
    const afterSubmit = sample();
    // Still inside the synchronous turn: nothing has been dispatched yet, so this is the cost of
    // the queue itself. The collection's time is left out of the wall time.
    const gcStart = performance.now();
    collectGarbage();
    const queued = usedHeap();
    const gcMs = performance.now() - gcStart;

    let timedOut = false;
    let finished = count;
    let valuesCorrect = false;
    try {
      let values: number[] | undefined = await get(refs, { timeout: options.timeoutS ?? 170 });
      valuesCorrect = values.length === count && values.every((v, i) => v === i);
      values = undefined;
    } catch (error) {
      if (!(error instanceof GetTimeoutError)) throw error;
      timedOut = true;
      finished = (await wait(refs, { numReturns: count, timeout: 0 })).ready.length;
    }
    const wallMs = performance.now() - t0 - gcMs;
    sample();
    clearInterval(sampler);

    refs = [];
    for (let turn = 0; turn < 5; turn++) {
      collectGarbage();
      await nextTask();
    }
    collectGarbage();
    const after = usedHeap();
    const store = objectStoreStats();
    return {
      count,
      numWorkers: info.numWorkers,
      submit: { unit: 'ms', value: submitMs },
      wall: { unit: 'ms', value: wallMs },
      rate: { unit: 'tasks/s', value: (finished / wallMs) * 1000 },
      timedOut,
      finished,
      valuesCorrect,
      heap:
        before === undefined || after === undefined || afterSubmit === undefined || queued === undefined
          ? null
          : {
              before: bytes(before),
              peak: bytes(peak),
              afterSubmit: bytes(afterSubmit),
              queued: bytes(queued),
              perQueuedTask: bytes((queued - before) / count),
              peakPerTask: bytes((peak - before) / count),
              after: bytes(after),
              samples,
            },
      storeAfter: { count: store.count, bytes: bytes(store.bytes) },
    };
  } finally {
    await shutdown();
  }
}
