/**
 * The measuring protocol of Ray's microbenchmark (`timeit` in ray_microbenchmark_helpers.py):
 * call `fn` for about 1 s to warm up and to size a step (a tenth of the warm-up count, plus one),
 * then 4 runs, each calling `fn` a step at a time until at least 2 s have passed. Each run gives
 * `multiplier × calls / seconds`.
 *
 * Between steps the loop yields one macrotask: Ray's Python frees a dropped ref at once by
 * reference counting, while here a dropped ref is freed by a FinalizationRegistry callback, which
 * only runs once the event loop turns. Without the yield a synchronous `fn` (put) would pile up
 * millions of unfreed objects. The yield's time counts (freeing is part of the work, as in Ray);
 * a step lasts about a tenth of a second, so the yield itself costs next to nothing.
 */

export interface MeasureOptions {
  /** What one op is, as a rate. @default 'ops/s' */
  unit?: string;
  /** Ops per call of `fn` (1000 for a batch of 1000 calls). @default 1 */
  multiplier?: number;
  /** Warm-up length, ms. @default 1000 */
  warmupMs?: number;
  /** Timed runs. @default 4 */
  runs?: number;
  /** Minimum length of each run, ms. @default 2000 */
  runMs?: number;
  /**
   * Work to do after every call of `fn`, left out of the timing (for example dropping a large
   * object and collecting garbage). When given, a step is one call.
   */
  between?: () => Promise<void> | void;
}

/** Figures of one measured operation; rates in ops per second. */
export interface Measurement {
  /** 'ops/s' unless the options said otherwise (GB/s for put gigabytes). */
  unit: string;
  mean: number;
  std: number;
  median: number;
  /** Each run's rate. */
  runs: number[];
  /** Calls of `fn` per step. */
  step: number;
  /** Ops per call of `fn`. */
  multiplier: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Population standard deviation, as numpy's `np.std`, which Ray prints. */
export function std(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(mean(values.map((v) => (v - m) ** 2)));
}

/** One macrotask turn, without setTimeout's 4 ms clamp for nested timers. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Calls `fn` and awaits it only when it returns a promise, so synchronous calls stay synchronous. */
function call(fn: () => unknown): Promise<unknown> | undefined {
  const result = fn();
  return result instanceof Promise ? result : undefined;
}

/** Runs Ray's timeit protocol on `fn` and returns its rates. */
export async function measure(fn: () => unknown, options: MeasureOptions = {}): Promise<Measurement> {
  const multiplier = options.multiplier ?? 1;
  const warmupMs = options.warmupMs ?? 1000;
  const runCount = options.runs ?? 4;
  const runMs = options.runMs ?? 2000;
  const between = options.between;

  // Time spent in `between` is subtracted from the clock, so it never counts as work.
  let excluded = 0;
  const once = async () => {
    const pending = call(fn);
    if (pending) await pending;
    if (between) {
      const t0 = performance.now();
      await between();
      excluded += performance.now() - t0;
    }
  };

  let count = 0;
  const warmStart = performance.now();
  excluded = 0;
  while (performance.now() - warmStart - excluded < warmupMs) {
    await once();
    count++;
    if (!between && count % 64 === 0) await nextTask();
  }
  const step = between ? 1 : Math.floor(count / 10) + 1;

  const runs: number[] = [];
  for (let r = 0; r < runCount; r++) {
    await nextTask();
    excluded = 0;
    let calls = 0;
    const start = performance.now();
    while (performance.now() - start - excluded < runMs) {
      for (let i = 0; i < step; i++) await once();
      calls += step;
      await nextTask(); // counted: freeing dropped objects is part of the work, as in Ray
    }
    const seconds = (performance.now() - start - excluded) / 1000;
    runs.push((multiplier * calls) / seconds);
  }
  return { unit: options.unit ?? 'ops/s', mean: mean(runs), std: std(runs), median: median(runs), runs, step, multiplier };
}

/**
 * Wall times of `fn` over `repeats` calls after `warmups` untimed ones, ms. `after` runs after each
 * call, untimed (dropping the result and collecting garbage, say).
 */
export async function timeMs(
  fn: () => Promise<unknown> | unknown,
  options: { repeats: number; warmups?: number; after?: () => Promise<void> | void },
): Promise<{ median: number; runs: number[] }> {
  const runs: number[] = [];
  for (let i = 0; i < (options.warmups ?? 1) + options.repeats; i++) {
    const t0 = performance.now();
    await fn();
    if (i >= (options.warmups ?? 1)) runs.push(performance.now() - t0);
    await options.after?.();
  }
  return { median: median(runs), runs };
}
