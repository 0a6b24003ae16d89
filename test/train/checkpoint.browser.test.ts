/**
 * Checkpoints of TensorFlow.js models made in training workers: they travel with reports,
 * rebuild the model in the page, survive IndexedDB, refuse a model of other shapes; and a group
 * whose worker dies mid-run restarts from the last checkpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tfPage from '@tensorflow/tfjs';
import { init, ml, shutdown, train } from '../../src/index.ts';

/** The worker's global TensorFlow.js, which the loops below use. */
declare const tf: typeof import('@tensorflow/tfjs');

beforeAll(async () => {
  await init({ numWorkers: 2 });
  await ml.loadTf();
});
afterAll(async () => {
  await shutdown();
});

/** A small seeded model trained a few steps per epoch, checkpointed every epoch with its loss. */
const loop = async (config: Record<string, unknown>) => {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }), tf.layers.dense({ units: 1 })] });
  const optimizer = train.prepareOptimizer(tf.train.sgd(0.05));
  const x = tf.tensor2d([[0, 1], [1, 0], [1, 1], [0.5, 0.2]]);
  const y = tf.tensor2d([[1], [2], [3], [0.9]]);
  const losses = config.losses as number[] | undefined;
  for (let epoch = 0; epoch < 3; epoch++) {
    const cost = (await optimizer.minimize(() => tf.losses.meanSquaredError(y, model.predict(x) as typeof y) as import('@tensorflow/tfjs').Scalar, true)) as import('@tensorflow/tfjs').Scalar;
    const loss = losses ? losses[epoch]! : (await cost.data())[0]!;
    cost.dispose();
    const prediction = Array.from(await (model.predict(tf.tensor2d([[0.3, 0.7]])) as typeof y).data())[0];
    await train.report({ epoch, loss, prediction }, { checkpoint: await train.Checkpoint.fromModel(model, { epoch }) });
  }
};

describe('Checkpoint', () => {
  it('travels with report, rebuilds the model in the page, and keeps the best by a metric', { timeout: 240_000 }, async () => {
    const result = await new train.TensorflowTrainer(loop, {
      trainLoopConfig: { losses: [0.5, 0.2, 0.9] },
      runConfig: { checkpointConfig: { numToKeep: 2, checkpointScoreAttribute: 'loss', checkpointScoreOrder: 'min' } },
    }).fit();
    const checkpoint = result.checkpoint as InstanceType<typeof train.Checkpoint>;
    expect(checkpoint).toBeInstanceOf(train.Checkpoint);
    expect(checkpoint.metadata).toEqual({ epoch: 2 });
    expect(checkpoint.weights.map((w) => w.shape)).toEqual([[2, 3], [3], [3, 1], [1]]);
    expect(result.bestCheckpoints.map((c) => c.metrics.loss)).toEqual([0.2, 0.5]);
    expect((result.bestCheckpoints[0]!.checkpoint as InstanceType<typeof train.Checkpoint>).metadata).toEqual({ epoch: 1 });

    const model = (await checkpoint.toModel()) as tfPage.LayersModel;
    const prediction = (await (model.predict(tfPage.tensor2d([[0.3, 0.7]])) as tfPage.Tensor).data())[0]!;
    expect(prediction).toBeCloseTo(result.metrics.prediction as number, 5);

    // IndexedDB round trip: the same weights, bit for bit.
    await checkpoint.save('test-train-checkpoint');
    const loaded = await train.Checkpoint.load('test-train-checkpoint');
    expect(loaded.metadata).toEqual({ epoch: 2 });
    expect(loaded.weights.map((w) => Array.from(w.data))).toEqual(checkpoint.weights.map((w) => Array.from(w.data)));
    await expect(train.Checkpoint.load('no-such-checkpoint')).rejects.toThrow(/No checkpoint is saved under 'no-such-checkpoint'/);

    // A model of other shapes is refused, naming the weight.
    const other = tfPage.sequential({ layers: [tfPage.layers.dense({ inputShape: [2], units: 4 }), tfPage.layers.dense({ units: 1 })] });
    expect(() => loaded.loadInto(other)).toThrow(expect.objectContaining({ name: 'WeightsMismatchError' }) as Error);
  });

  it('gives the loop the checkpoint it resumes from', { timeout: 120_000 }, async () => {
    const resume = async () => {
      const ckpt = train.getCheckpoint<{ step: number }>();
      await train.report({ from: ckpt ? ckpt.step : -1 });
    };
    const result = await new train.DataParallelTrainer(resume, { resumeFromCheckpoint: { step: 41 } }).fit();
    expect(result.metrics.from).toBe(41);
  });
});

describe('fault tolerance', () => {
  it('restarts the group from the last checkpoint when a worker dies mid-run', { timeout: 240_000 }, async () => {
    const fragile = async () => {
      const { worldRank } = train.getContext();
      const resumed = train.getCheckpoint<{ epoch: number }>();
      const first = resumed ? resumed.epoch + 1 : 0;
      for (let epoch = first; epoch < 5; epoch++) {
        if (worldRank === 1 && epoch === 2 && !resumed) self.close();
        // Both workers meet here each epoch, so rank 0 cannot report epoch 2 once rank 1 is gone.
        await train.allreduce(new Float32Array([epoch]));
        await train.report({ epoch, resumedFrom: resumed ? resumed.epoch : -1 }, { checkpoint: { epoch } });
      }
    };
    const result = await new train.DataParallelTrainer(fragile, { scalingConfig: { numWorkers: 2 }, runConfig: { failureConfig: { maxFailures: 1 } } }).fit();
    expect(result.restarts).toBe(1);
    expect(result.metricsHistory.map((m) => m.epoch)).toEqual([0, 1, 2, 3, 4]);
    // Rank 0's reports reach the trainer while rank 1 dies, so the last one received before the
    // loss is epoch 0's or epoch 1's: the group resumes from exactly that one.
    const beforeLoss = result.metricsHistory.filter((m) => m.resumedFrom === -1).length;
    expect([1, 2]).toContain(beforeLoss);
    expect(result.metricsHistory.map((m) => m.resumedFrom)).toEqual([...Array<number>(beforeLoss).fill(-1), ...Array<number>(5 - beforeLoss).fill(beforeLoss - 1)]);
    expect(result.metricsHistory.map((m) => m.trainingIteration)).toEqual([1, 2, 3, 4, 5]);
    expect(result.checkpoint).toEqual({ epoch: 4 });

    // Without restarts allowed, the lost worker ends fit() and says how to allow them.
    const error = await new train.DataParallelTrainer(fragile, { scalingConfig: { numWorkers: 2 } }).fit().catch((e: unknown) => e);
    expect((error as Error).name).toBe('TrainingFailedError');
    expect((error as Error).message).toMatch(/maxFailures/);
  });
});
