import { get, init, kill, objectStoreStats, put, remote, shutdown, wait } from '../../src/index.ts';
import { measure, nextTask, type Measurement, type MeasureOptions } from './measure.ts';

/**
 * raybox's run of Ray's core microbenchmarks (`ray microbenchmark`, ray/_private/ray_perf.py):
 * same names (with `:` and spaces as `_`), same operations, same protocol (see measure.ts). The
 * page is Ray's single driver; the functions and classes travel to workers as source text.
 */

export const RAY_PERF_NAMES = [
  'single_client_get_calls',
  'single_client_put_calls',
  'single_client_put_gigabytes',
  'single_client_wait_1k_refs',
  'single_client_tasks_sync',
  'single_client_tasks_async',
  '1_1_actor_calls_sync',
  '1_1_actor_calls_async',
  '1_1_actor_calls_concurrent',
  'n_n_actor_calls_async',
] as const;

export type RayPerfName = (typeof RAY_PERF_NAMES)[number];

export interface RayPerfResult {
  numWorkers: number;
  /** Actors of n_n_actor_calls_async. */
  nActors: number;
  benchmarks: Partial<Record<RayPerfName, Measurement>>;
  /** The object store after put gigabytes; a count or size that stays high means a leak. */
  storeAfterPutGigabytes?: { count: number; bytes: { unit: 'B'; value: number } };
}

const BATCH = 1000;
const MiB = 2 ** 20;

export class SmallActor {
  smallValue() {
    return 0;
  }
}

class AsyncActor {
  async smallValue() {
    return 0;
  }
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Collects garbage until the store holds no more than `bytes`, a few event-loop turns at most. */
async function drainStore(bytes: number): Promise<void> {
  for (let turn = 0; turn < 20 && objectStoreStats().bytes > bytes; turn++) {
    collectGarbage();
    await nextTask();
  }
  collectGarbage();
}

/** Runs the benchmarks named in `only` (all by default) on a fresh `init({ numWorkers })`. */
export async function runRayPerf(options: { numWorkers?: number; only?: RayPerfName[]; protocol?: MeasureOptions } = {}): Promise<RayPerfResult> {
  const info = await init({ numWorkers: options.numWorkers ?? 1 });
  const protocol = options.protocol ?? {};
  const wanted = new Set(options.only ?? RAY_PERF_NAMES);
  const nActors = Math.max(2, info.numWorkers);
  const result: RayPerfResult = { numWorkers: info.numWorkers, nActors, benchmarks: {} };
  const run = async (name: RayPerfName, fn: () => unknown, extra: MeasureOptions = {}) => {
    if (!wanted.has(name)) return;
    result.benchmarks[name] = await measure(fn, { ...protocol, ...extra });
  };
  const batch = <T>(submit: () => T): T[] => Array.from({ length: BATCH }, submit);
  const smallValue = remote(() => 0);

  try {
    const value = put(0);
    await run('single_client_get_calls', () => get(value));
    await run('single_client_put_calls', () => put(0));

    const baseline = objectStoreStats().bytes;
    const large = new Float32Array(64 * MiB); // 256 MiB, put again and again as Ray puts one array
    await run('single_client_put_gigabytes', () => put(large), {
      unit: 'GB/s',
      multiplier: large.byteLength / 1e9,
      between: () => drainStore(baseline),
    });
    if (wanted.has('single_client_put_gigabytes')) {
      await drainStore(baseline);
      const stats = objectStoreStats();
      result.storeAfterPutGigabytes = { count: stats.count, bytes: { unit: 'B', value: stats.bytes } };
    }

    if (wanted.has('single_client_wait_1k_refs')) {
      const finished = batch(() => smallValue.remote());
      await get(finished);
      await run('single_client_wait_1k_refs', () => wait(finished, { numReturns: BATCH }));
    }

    await run('single_client_tasks_sync', () => get(smallValue.remote()));
    await run('single_client_tasks_async', () => get(batch(() => smallValue.remote())), { multiplier: BATCH });

    const actor = remote(SmallActor).remote();
    await run('1_1_actor_calls_sync', () => get(actor.smallValue.remote()));
    await run('1_1_actor_calls_async', () => get(batch(() => actor.smallValue.remote())), { multiplier: BATCH });
    kill(actor);

    const concurrent = remote(AsyncActor, { maxConcurrency: 16 }).remote();
    await run('1_1_actor_calls_concurrent', () => get(batch(() => concurrent.smallValue.remote())), { multiplier: BATCH });
    kill(concurrent);

    // Ray's n:n has n clients; here the one page submits to n actors, a batch of 1000 each.
    const actors = Array.from({ length: nActors }, () => remote(SmallActor).remote());
    await run('n_n_actor_calls_async', () => get(actors.flatMap((a) => batch(() => a.smallValue.remote()))), {
      multiplier: BATCH * nActors,
    });
    for (const a of actors) kill(a);
  } finally {
    await shutdown();
  }
  return result;
}
