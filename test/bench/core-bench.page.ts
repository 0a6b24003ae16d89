import { get, init, kill, remote, shutdown } from '../../src/index.ts';
import { EchoWorker, measureBaselines, measureMessageRates, type Baselines, type MessageRates } from './baselines.ts';
import type { MeasureOptions } from './measure.ts';
import { runMillion, type MillionOptions, type MillionResult } from './million.ts';
import { pairedRounds, type PairedRounds, type PairedRoundsOptions } from './paired-rounds.ts';
import { runRayPerf, SmallActor, type RayPerfName, type RayPerfResult } from './ray-perf.ts';
import { runScaling, type ScalingOptions, type ScalingResult } from './scaling.ts';

/**
 * raybox's core benchmark, in-page part: the platform baselines and Ray's microbenchmarks in the
 * same page and run, then (separately callable) scaling and the million-task run. Returns figures
 * only; `test/bench/run.mjs` opens `core-bench.html` in Chromium, calls these and stores the result.
 */

export interface CoreBenchOptions {
  /** Overrides of the timeit protocol (shorter runs for a smoke test). */
  protocol?: MeasureOptions;
  /** Ray benchmarks to run. @default all */
  only?: RayPerfName[];
  /** Workers for the single-client benchmarks. @default 1 */
  numWorkers?: number;
  /** Overrides of the paired rounds of the synchronous figures (fewer rounds for a smoke test). */
  paired?: PairedRoundsOptions;
}

export interface PageEnvironment {
  userAgent: string;
  hardwareConcurrency: number;
  crossOriginIsolated: boolean;
  /** Whether gc() is exposed (Chromium's --js-flags=--expose-gc). */
  gcExposed: boolean;
}

export interface CoreBenchResult {
  environment: PageEnvironment;
  baselines: Baselines;
  /** The message rates again, measured after raybox's benchmarks; a limit is the better of the two. */
  baselinesAfter: MessageRates;
  rayPerf: RayPerfResult;
  /**
   * The two synchronous figures again, each in alternating rounds with the raw ping-pong: the
   * median of the rounds' ratios is the figure held against the ping-pong.
   */
  pairedSync: { tasks: PairedRounds; actorCalls: PairedRounds };
  totalMs: { unit: 'ms'; value: number };
}

export function pageEnvironment(): PageEnvironment {
  return {
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
  };
}

/**
 * Platform baselines, then Ray's microbenchmarks on `init({ numWorkers })`, then the message
 * rates again.
 * @example
 * const quick = await runCoreBench({ protocol: { warmupMs: 100, runMs: 200, runs: 2 }, only: ['single_client_tasks_sync'] });
 */
export async function runCoreBench(options: CoreBenchOptions = {}): Promise<CoreBenchResult> {
  const start = performance.now();
  const baselines = await measureBaselines(options.protocol);
  const rayPerf = await runRayPerf({ numWorkers: options.numWorkers ?? 1, ...(options.only ? { only: options.only } : {}), ...(options.protocol ? { protocol: options.protocol } : {}) });
  const baselinesAfter = await measureMessageRates(options.protocol);
  const pairedSync = await measurePairedSync(options.paired);
  return { environment: pageEnvironment(), baselines, baselinesAfter, rayPerf, pairedSync, totalMs: { unit: 'ms', value: performance.now() - start } };
}

/** single_client_tasks_sync and 1_1_actor_calls_sync, each against the raw ping-pong, round by round. */
async function measurePairedSync(options: PairedRoundsOptions = {}): Promise<CoreBenchResult['pairedSync']> {
  await init({ numWorkers: 1 });
  const echo = new EchoWorker();
  try {
    const smallValue = remote(() => 0);
    const tasks = await pairedRounds(() => get(smallValue.remote()), () => echo.pingPong(), options);
    const actor = remote(SmallActor).remote();
    const actorCalls = await pairedRounds(() => get(actor.smallValue.remote()), () => echo.pingPong(), options);
    kill(actor);
    return { tasks, actorCalls };
  } finally {
    echo.terminate();
    await shutdown();
  }
}

export { runScaling, runMillion };
export type { ScalingOptions, ScalingResult, MillionOptions, MillionResult };
