/**
 * Synchronous data parallelism with real TensorFlow.js in real workers: a prepared optimizer
 * averages the workers' gradients, so 2 workers on batch b train exactly as 1 worker on batch 2b,
 * and a regression sharded across workers learns its known coefficients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { data, init, shutdown, train } from '../../src/index.ts';

/** The worker's global TensorFlow.js, which the loops below use. */
declare const tf: typeof import('@tensorflow/tfjs');

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await shutdown();
});

/** Rows of a fixed problem: 4 features, a target from a nonlinear rule (no randomness). */
function problem(rows: number): { xs: number[][]; ys: number[] } {
  const xs = Array.from({ length: rows }, (_, i) => [Math.sin(i), Math.cos(3 * i), ((i * 37) % 17) / 17 - 0.5, (i % 5) / 5]);
  const ys = xs.map((x) => x[0]! * 2 - x[1]! + x[2]! * x[3]! + 0.3);
  return { xs, ys };
}

describe('prepareOptimizer', () => {
  it('2 workers on batch b end where 1 worker on batch 2b does (within 1e-4)', { timeout: 300_000 }, async () => {
    const loop = async (config: Record<string, unknown>) => {
      const { worldRank, worldSize } = train.getContext();
      const { xs, ys, steps, perWorker } = config as { xs: number[][]; ys: number[]; steps: number; perWorker: number };
      const model = tf.sequential({
        layers: [
          tf.layers.dense({ inputShape: [4], units: 8, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 11 }) }),
          tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 12 }) }),
        ],
      });
      const optimizer = train.prepareOptimizer(tf.train.sgd(0.1));
      const global = perWorker * worldSize;
      for (let step = 0; step < steps; step++) {
        const from = step * global + worldRank * perWorker;
        const x = tf.tensor2d(xs.slice(from, from + perWorker));
        const y = tf.tensor2d(ys.slice(from, from + perWorker), [perWorker, 1]);
        await optimizer.minimize(() => tf.losses.meanSquaredError(y, model.predict(x) as typeof y) as import('@tensorflow/tfjs').Scalar);
        x.dispose();
        y.dispose();
      }
      const weights = await Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));
      await train.report({ weights: JSON.stringify(weights) });
    };
    const { xs, ys } = problem(5 * 32);
    const fit = async (numWorkers: number, perWorker: number, allreduceAlgorithm: 'star' | 'ring' = 'star') => {
      const result = await new train.TensorflowTrainer(loop, { trainLoopConfig: { xs, ys, steps: 5, perWorker }, scalingConfig: { numWorkers }, allreduceAlgorithm }).fit();
      return (JSON.parse(String(result.metrics.weights)) as number[][]).flat();
    };
    const one = await fit(1, 32);
    // Through the leader (the default) and around a ring.
    for (const two of [await fit(2, 16), await fit(2, 16, 'ring')]) {
      expect(two).toHaveLength(one.length);
      const maxDiff = Math.max(...one.map((w, i) => Math.abs(w - two[i]!)));
      expect(maxDiff).toBeLessThan(1e-4);
    }
    // The weights moved: the test compares trained models, not two copies of the initial one.
    const untrained = await new train.TensorflowTrainer(loop, { trainLoopConfig: { xs, ys, steps: 0, perWorker: 32 }, scalingConfig: { numWorkers: 1 } }).fit();
    const start = (JSON.parse(String(untrained.metrics.weights)) as number[][]).flat();
    expect(Math.max(...one.map((w, i) => Math.abs(w - start[i]!)))).toBeGreaterThan(1e-2);
  });

  it('learns known coefficients from a dataset sharded across 2 workers', { timeout: 300_000 }, async () => {
    const rows = Array.from({ length: 256 }, (_, i) => {
      const x1 = ((i * 37) % 101) / 50 - 1;
      const x2 = ((i * 53) % 97) / 48 - 1;
      return { x1, x2, y: 3 * x1 - 2 * x2 + 0.5 };
    });
    const loop = async (config: Record<string, unknown>) => {
      const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1, kernelInitializer: 'zeros' })] });
      const optimizer = train.prepareOptimizer(tf.train.sgd(config.lr as number));
      const shard = train.getDatasetShard('train');
      let loss = 0;
      for (let epoch = 0; epoch < (config.epochs as number); epoch++) {
        for await (const batch of shard.iterBatches({ batchSize: 32 })) {
          const b = batch as unknown as { x1: Float64Array; x2: Float64Array; y: Float64Array };
          const x = tf.tensor2d(Array.from(b.x1, (v, i) => [v, b.x2[i]!]));
          const y = tf.tensor2d(Array.from(b.y), [b.y.length, 1]);
          const cost = (await optimizer.minimize(() => tf.losses.meanSquaredError(y, model.predict(x) as typeof y) as import('@tensorflow/tfjs').Scalar, true)) as import('@tensorflow/tfjs').Scalar;
          loss = (await cost.data())[0]!;
          cost.dispose();
          x.dispose();
          y.dispose();
        }
      }
      const [kernel, bias] = await Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));
      await train.report({ w1: kernel![0], w2: kernel![1], b: bias![0], loss });
    };
    const result = await new train.TensorflowTrainer(loop, {
      trainLoopConfig: { lr: 0.3, epochs: 40 },
      scalingConfig: { numWorkers: 2 },
      datasets: { train: data.fromItems(rows) },
      datasetConfig: { shuffleEachEpoch: true, seed: 1 },
    }).fit();
    expect(result.metrics.w1).toBeCloseTo(3, 1);
    expect(result.metrics.w2).toBeCloseTo(-2, 1);
    expect(result.metrics.b).toBeCloseTo(0.5, 1);
    expect(result.metrics.loss as number).toBeLessThan(1e-3);
  });
});
