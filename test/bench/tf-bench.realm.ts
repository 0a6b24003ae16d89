import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { backendChoice, loadTf, type BackendName } from '../../src/ml/index.ts';

/**
 * The measuring half of the TensorFlow.js benchmark: runs in whichever realm imports it (the page
 * or a worker) and times each backend there. Times include readback, because a task's result
 * always comes back to JavaScript.
 */

export interface TfBenchOptions {
  /** @default ['webgpu', 'webgl', 'wasm', 'cpu'] (unavailable ones are reported, not measured) */
  backends?: BackendName[];
  /** Square matmul sizes. @default [256, 512, 1024] */
  sizes?: number[];
  /** Realms to measure in. @default ['main', 'worker'] */
  realms?: ('main' | 'worker')[];
  /** Timed runs at least, after one warm-up run. @default 3 */
  minRuns?: number;
  /** Timed runs at most. @default 50 */
  maxRuns?: number;
  /** Keep timing one measurement until this many ms have passed (and minRuns are done). @default 1500 */
  budgetMs?: number;
  /** Passed to loadTf for wasm: threads per realm. @default undefined (TensorFlow.js's default) */
  wasmThreads?: number;
}

export type RealmBenchOptions = Required<Omit<TfBenchOptions, 'realms' | 'wasmThreads'>> & { wasmThreads?: number };

export interface TfBenchEntry {
  realm: 'main' | 'worker';
  backend: BackendName;
  /** Why the backend was not measured (it could not be initialised here). */
  error?: string;
  /** How the backend runs (for wasm: SIMD and threads), from loadTf's choice. */
  detail?: string;
  /** Milliseconds the backend's initialisation took in this realm. */
  initMs?: number;
  /** Median ms per square matmul, keyed by size, readback included. */
  matmulMs: Record<string, number>;
  /** Median ms per training step (trainOnBatch) of the dense network, loss readback included. */
  trainStepMs?: number;
  /** Timed runs behind each median, keyed like the medians ('train' for the training step). */
  runs: Record<string, number>;
}

/** The dense network of the training step: a small policy-sized MLP, as in RL. */
export const TRAIN_NET = { inputs: 64, hidden: [128, 128], outputs: 4, batch: 256 } as const;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timeRuns(run: () => Promise<void>, options: RealmBenchOptions): Promise<{ median: number; runs: number }> {
  await run(); // warm-up: shader compilation, first uploads, kernel caches
  const times: number[] = [];
  const start = performance.now();
  while (times.length < options.maxRuns && (times.length < options.minRuns || performance.now() - start < options.budgetMs)) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return { median: median(times), runs: times.length };
}

async function benchBackend(realm: 'main' | 'worker', backend: BackendName, options: RealmBenchOptions): Promise<TfBenchEntry> {
  const entry: TfBenchEntry = { realm, backend, matmulMs: {}, runs: {} };
  const t0 = performance.now();
  let tf: Awaited<ReturnType<typeof loadTf>>;
  try {
    tf = await loadTf({ backend, wasmThreads: options.wasmThreads });
  } catch (error) {
    entry.error = error instanceof Error ? error.message : String(error);
    return entry;
  }
  entry.initMs = performance.now() - t0;
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    entry.detail = `${(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'SIMD' : 'no SIMD'}, ${wasm.getThreadsCount()} thread(s)`;
  } else {
    entry.detail = backendChoice()?.reason;
  }

  for (const size of options.sizes) {
    const [a, b] = tf.tidy(() => [tf.randomUniform([size, size]), tf.randomUniform([size, size])] as const);
    const timed = await timeRuns(async () => {
      const product = tf.matMul(a, b);
      await product.data();
      product.dispose();
    }, options);
    tf.dispose([a, b]);
    entry.matmulMs[String(size)] = timed.median;
    entry.runs[String(size)] = timed.runs;
  }

  const model: LayersModel = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [TRAIN_NET.inputs], units: TRAIN_NET.hidden[0], activation: 'relu' }),
      tf.layers.dense({ units: TRAIN_NET.hidden[1], activation: 'relu' }),
      tf.layers.dense({ units: TRAIN_NET.outputs }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const x: Tensor = tf.randomNormal([TRAIN_NET.batch, TRAIN_NET.inputs]);
  const y: Tensor = tf.randomNormal([TRAIN_NET.batch, TRAIN_NET.outputs]);
  const timed = await timeRuns(async () => {
    await model.trainOnBatch(x, y); // resolves with the loss as numbers: readback included
  }, options);
  entry.trainStepMs = timed.median;
  entry.runs['train'] = timed.runs;
  tf.dispose([x, y]);
  model.dispose();
  return entry;
}

/** Measures every requested backend in this realm, one after the other. */
export async function benchThisRealm(realm: 'main' | 'worker', options: RealmBenchOptions): Promise<TfBenchEntry[]> {
  const entries: TfBenchEntry[] = [];
  for (const backend of options.backends) entries.push(await benchBackend(realm, backend, options));
  return entries;
}
