import { get, init, kill, remote } from '../../src/index.ts';
import { measure, nextTask, type Measurement, type MeasureOptions } from './measure.ts';
import { SmallActor } from './ray-perf.ts';

/**
 * The page part of the benchmark: Ray's task and actor-call microbenchmarks as run in whatever page
 * loads this module (the bare bench page, the notebook page, the embed page), on the runtime that
 * page already runs (never shut down: the page's dashboard listens to that runtime), plus the
 * page's history and responsiveness. Figures only; `run.mjs` compares the pages.
 */

export const PAGE_PERF_NAMES = ['single_client_tasks_sync', 'single_client_tasks_async', '1_1_actor_calls_sync', '1_1_actor_calls_async'] as const;
export type PagePerfName = (typeof PAGE_PERF_NAMES)[number];

export interface PagePerfResult {
  numWorkers: number;
  benchmarks: Partial<Record<PagePerfName, Measurement>>;
}

const BATCH = 1000;

/** The four microbenchmarks, measured as `ray-perf.ts` measures them. */
export async function runPagePerf(options: { protocol?: MeasureOptions; only?: readonly PagePerfName[] } = {}): Promise<PagePerfResult> {
  const info = await init();
  const protocol = options.protocol ?? {};
  const wanted = new Set<PagePerfName>(options.only ?? PAGE_PERF_NAMES);
  const result: PagePerfResult = { numWorkers: info.numWorkers, benchmarks: {} };
  const run = async (name: PagePerfName, fn: () => unknown, extra: MeasureOptions = {}) => {
    if (wanted.has(name)) result.benchmarks[name] = await measure(fn, { ...protocol, ...extra });
  };
  const batch = <T>(submit: () => T): T[] => Array.from({ length: BATCH }, submit);
  const smallValue = remote(() => 0);
  await run('single_client_tasks_sync', () => get(smallValue.remote()));
  await run('single_client_tasks_async', () => get(batch(() => smallValue.remote())), { multiplier: BATCH });
  if (wanted.has('1_1_actor_calls_sync') || wanted.has('1_1_actor_calls_async')) {
    const actor = remote(SmallActor).remote();
    await run('1_1_actor_calls_sync', () => get(actor.smallValue.remote()));
    await run('1_1_actor_calls_async', () => get(batch(() => actor.smallValue.remote())), { multiplier: BATCH });
    kill(actor);
  }
  return result;
}

interface Bytes {
  unit: 'B';
  value: number;
}

/** The main thread's JS heap after collecting garbage (Chromium with --expose-gc and precise memory info). */
export async function settledHeap(): Promise<Bytes | null> {
  for (let turn = 0; turn < 5; turn++) {
    (globalThis as { gc?: () => void }).gc?.();
    await nextTask();
  }
  const used = (performance as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize;
  return used === undefined ? null : { unit: 'B', value: used };
}

/** Runs `count` tiny tasks, `chunk` at a time (each chunk awaited), as a page's history. */
export async function runHistory(count: number, chunk = 10_000): Promise<{ count: number; ms: number }> {
  const identity = remote((i: number) => i);
  const t0 = performance.now();
  for (let done = 0; done < count; done += chunk) {
    const n = Math.min(chunk, count - done);
    await get(Array.from({ length: n }, (_, i) => identity.remote(i)));
  }
  return { count, ms: performance.now() - t0 };
}

export interface Responsiveness {
  tasks: number;
  /** How the burst was submitted: `chunk` tasks per macrotask (a loop of 100,000 would be one long task of the caller's own). */
  chunk: number;
  wall: { unit: 'ms'; value: number };
  longTasks: number;
  longestTask: { unit: 'ms'; value: number };
  frames: number;
  p95Frame: { unit: 'ms'; value: number };
  maxFrame: { unit: 'ms'; value: number };
}

/**
 * The main thread during a burst of `count` tiny tasks: the Long Tasks API's entries (tasks of
 * 50 ms or more) and the time between animation frames, from the first submission to the last result.
 */
export async function measureResponsiveness(count = 100_000, chunk = 1_000): Promise<Responsiveness> {
  const identity = remote((i: number) => i);
  await get(identity.remote(0));
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask', buffered: false });
  const frames: number[] = [];
  let last = performance.now();
  let running = true;
  const onFrame = (t: number) => {
    frames.push(t - last);
    last = t;
    if (running) requestAnimationFrame(onFrame);
  };
  requestAnimationFrame((t) => {
    last = t;
    requestAnimationFrame(onFrame);
  });
  const t0 = performance.now();
  const pending: Promise<number[]>[] = [];
  for (let done = 0; done < count; done += chunk) {
    pending.push(get(Array.from({ length: Math.min(chunk, count - done) }, (_, i) => identity.remote(done + i))));
    await nextTask();
  }
  await Promise.all(pending);
  const wall = performance.now() - t0;
  running = false;
  // Entries are delivered after the task they measure: give the observer a turn.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.takeRecords().forEach((entry) => longTasks.push(entry.duration));
  observer.disconnect();
  const sorted = [...frames].sort((a, b) => a - b);
  const p95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? NaN;
  return {
    tasks: count,
    chunk,
    wall: { unit: 'ms', value: wall },
    longTasks: longTasks.length,
    longestTask: { unit: 'ms', value: Math.max(0, ...longTasks) },
    frames: frames.length,
    p95Frame: { unit: 'ms', value: p95 },
    maxFrame: { unit: 'ms', value: sorted.at(-1) ?? NaN },
  };
}
