/**
 * `gradientCompression`: a model trained with float16 or top-k gradients still learns (its loss
 * falls), and its `allreduce` steps put fewer bytes on the wire than uncompressed training.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { data, init, shutdown, train } from '../../src/index.ts';

declare const tf: typeof import('@tensorflow/tfjs');

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await shutdown();
});

const rows = Array.from({ length: 256 }, (_, i) => {
  const x = Array.from({ length: 8 }, (_, j) => (((i + 1) * (j * 17 + 29)) % 97) / 48 - 1);
  return { x0: x[0]!, x1: x[1]!, x2: x[2]!, x3: x[3]!, x4: x[4]!, x5: x[5]!, x6: x[6]!, x7: x[7]!, y: x.reduce((a, v, j) => a + (j % 3 - 1) * v, 0.5) };
});

const loop = async (config: Record<string, unknown>) => {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [8], units: 16, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 8 }) }),
    ],
  });
  const optimizer = train.prepareOptimizer(tf.train.adam(config.lr as number));
  const shard = train.getDatasetShard('train');
  for (let epoch = 0; epoch < (config.epochs as number); epoch++) {
    let total = 0;
    let batches = 0;
    for await (const batch of shard.iterBatches({ batchSize: 32 })) {
      const b = batch as unknown as Record<string, Float64Array>;
      const x = tf.tensor2d(Array.from(b.y!, (_, i) => [0, 1, 2, 3, 4, 5, 6, 7].map((j) => b[`x${j}`]![i]!)));
      const y = tf.tensor2d(Array.from(b.y!), [b.y!.length, 1]);
      const cost = (await optimizer.minimize(() => tf.losses.meanSquaredError(y, model.predict(x) as typeof y) as import('@tensorflow/tfjs').Scalar, true)) as import('@tensorflow/tfjs').Scalar;
      total += (await cost.data())[0]!;
      batches++;
      tf.dispose([cost, x, y]);
    }
    await train.report({ epoch, loss: total / batches });
  }
};

async function fitWith(gradientCompression?: 'float16' | { topK: number }) {
  return new train.TensorflowTrainer(loop, {
    trainLoopConfig: { lr: 0.02, epochs: 15 },
    scalingConfig: { numWorkers: 2 },
    datasets: { train: data.fromItems(rows) },
    ...(gradientCompression ? { gradientCompression } : {}),
  }).fit();
}

describe('gradientCompression', () => {
  it('still learns with float16 and top-k gradients, and sends fewer bytes', { timeout: 300_000 }, async () => {
    const plain = await fitWith();
    const half = await fitWith('float16');
    const topK = await fitWith({ topK: 0.1 });
    for (const result of [plain, half, topK]) {
      const losses = result.metricsHistory.map((m) => m.loss as number);
      expect(losses).toHaveLength(15);
      expect(losses[14]!).toBeLessThan(losses[0]! / 3);
    }
    // Uncompressed, what is sent is what it weighs.
    expect(plain.allreduceBytes.sent).toBe(plain.allreduceBytes.uncompressed);
    // The same steps each way: float16 halves the bytes; top-k sends a tenth (as index + value pairs, and their union back).
    expect(half.allreduceBytes.uncompressed).toBe(plain.allreduceBytes.uncompressed);
    expect(half.allreduceBytes.sent).toBe(plain.allreduceBytes.sent / 2);
    expect(topK.allreduceBytes.sent).toBeLessThan(plain.allreduceBytes.sent / 2);
    expect(topK.allreduceBytes.sent).toBeGreaterThan(0);
  });

  it('refuses a compression it does not know, saying what it takes', () => {
    expect(() => new train.TensorflowTrainer(loop, { gradientCompression: { topK: 2 } })).toThrow(/'float16', or \{ topK: fraction \}/);
    expect(() => new train.TensorflowTrainer(loop, { gradientCompression: 'int8' as never })).toThrow(train.TrainConfigError);
  });
});
