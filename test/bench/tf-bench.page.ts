import { backendChoice, BACKEND_NAMES, loadTf, probeGpus, type GpuProbe } from '../../src/ml/index.ts';
import { benchThisRealm, TRAIN_NET, type RealmBenchOptions, type TfBenchEntry, type TfBenchOptions } from './tf-bench.realm.ts';
import type { TfBenchWorkerReply } from './tf-bench.worker.ts';

export type { TfBenchEntry, TfBenchOptions } from './tf-bench.realm.ts';

/**
 * TensorFlow.js benchmark, in-page part: matmul at 256, 512 and 1024 and a small dense-network
 * training step, per backend, on the main thread and in a module worker. Returns figures only
 * (median ms per op); a Node runner opens `test/bench/tf-bench.html` in Chromium, calls
 * `window.runTfBench()` and stores the result.
 */

export interface TfBenchResult {
  environment: {
    userAgent: string;
    hardwareConcurrency: number;
    crossOriginIsolated: boolean;
    gpus: GpuProbe;
    /** What loadTf() chooses automatically in each realm, and why. */
    automatic: Partial<Record<'main' | 'worker', { backend: string; reason: string }>>;
  };
  /** What was measured, so figures are comparable between runs. */
  setup: Required<Omit<TfBenchOptions, 'wasmThreads'>> & { wasmThreads: number | null; trainNet: typeof TRAIN_NET };
  /** One entry per realm × backend. */
  entries: TfBenchEntry[];
  /** Wall time of the whole benchmark, ms. */
  totalMs: number;
}

async function inWorker(options: RealmBenchOptions): Promise<Extract<TfBenchWorkerReply, { ok: true }>> {
  const worker = new Worker(new URL('./tf-bench.worker.ts', import.meta.url), { type: 'module' });
  try {
    const reply = await new Promise<TfBenchWorkerReply>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<TfBenchWorkerReply>) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(`benchmark worker failed: ${event.message}`));
      worker.postMessage(options);
    });
    if (!reply.ok) throw new Error(`benchmark worker failed: ${reply.error}`);
    return reply;
  } finally {
    worker.terminate();
  }
}

/**
 * Runs the benchmark. Backends that cannot be initialised here get an entry with `error` and no
 * figures; nothing throws for them.
 *
 * @example
 * const result = await runTfBench();                        // everything, a few minutes on 2 cores
 * const quick = await runTfBench({ sizes: [256], backends: ['wasm'], realms: ['worker'] });
 */
export async function runTfBench(options: TfBenchOptions = {}): Promise<TfBenchResult> {
  const start = performance.now();
  const realmOptions: RealmBenchOptions = {
    backends: options.backends ?? [...BACKEND_NAMES],
    sizes: options.sizes ?? [256, 512, 1024],
    minRuns: options.minRuns ?? 3,
    maxRuns: options.maxRuns ?? 50,
    budgetMs: options.budgetMs ?? 1500,
    ...(options.wasmThreads !== undefined ? { wasmThreads: options.wasmThreads } : {}),
  };
  const realms = options.realms ?? ['main', 'worker'];
  const automatic: TfBenchResult['environment']['automatic'] = {};
  const entries: TfBenchEntry[] = [];

  if (realms.includes('main')) {
    await loadTf({ wasmThreads: options.wasmThreads });
    const choice = backendChoice();
    automatic.main = { backend: choice?.backend ?? 'none', reason: choice?.reason ?? '' };
    entries.push(...(await benchThisRealm('main', realmOptions)));
  }
  if (realms.includes('worker')) {
    const reply = await inWorker(realmOptions);
    automatic.worker = { backend: reply.autoBackend, reason: reply.autoReason };
    entries.push(...reply.entries);
  }

  return {
    environment: {
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      gpus: await probeGpus(),
      automatic,
    },
    setup: { ...realmOptions, realms, wasmThreads: options.wasmThreads ?? null, trainNet: TRAIN_NET },
    entries,
    totalMs: performance.now() - start,
  };
}
