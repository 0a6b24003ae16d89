/**
 * DataParallelTrainer with real workers: contexts, disjoint shards per epoch, reports, allreduce,
 * and bad input that must fail with a named error rather than hang.
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

describe('DataParallelTrainer', () => {
  it('gives each worker its rank and the group size, and keeps rank 0 reports', { timeout: 60_000 }, async () => {
    const loop = async (config: Record<string, unknown>) => {
      const ctx = train.getContext();
      for (let i = 0; i < (config.steps as number); i++) {
        await train.report({ step: i, rank: ctx.worldRank, size: ctx.worldSize, local: ctx.localRank, localSize: ctx.localWorldSize });
      }
    };
    const result = await new train.DataParallelTrainer(loop, { trainLoopConfig: { steps: 3 }, scalingConfig: { numWorkers: 2 } }).fit();
    expect(result.metricsHistory.map((m) => m.step)).toEqual([0, 1, 2]);
    expect(result.metricsHistory.map((m) => m.trainingIteration)).toEqual([1, 2, 3]);
    expect(result.metrics).toMatchObject({ step: 2, rank: 0, size: 2, local: 0, localSize: 2 });
    expect(result.error).toBeNull();
  });

  it('splits a dataset into disjoint shards of equal rows covering it, reshuffled each epoch when asked', { timeout: 60_000 }, async () => {
    const loop = async () => {
      const shard = train.getDatasetShard('train');
      for (let epoch = 0; epoch < 2; epoch++) {
        const ids: number[] = [];
        for await (const batch of shard.iterBatches({ batchSize: 7 })) ids.push(...Array.from((batch as unknown as { id: ArrayLike<number> }).id));
        const all = await train.allreduce({ count: new Float64Array([ids.length]) }, 'sum');
        await train.report({ epoch, ids: ids.join(','), total: all.count[0] });
      }
    };
    const seen: string[][] = [];
    const ds = data.range(101);
    const result = await new train.DataParallelTrainer(loop, {
      scalingConfig: { numWorkers: 2 },
      datasets: { train: ds },
      datasetConfig: { shuffleEachEpoch: true, seed: 7 },
    }).fit();
    for (const m of result.metricsHistory) seen.push(String(m.ids).split(','));
    // Rank 0 saw 50 rows each epoch; both together saw 100 (one row is the remainder, left out).
    expect(seen.map((ids) => ids.length)).toEqual([50, 50]);
    expect(result.metricsHistory.map((m) => m.total)).toEqual([100, 100]);
    expect(seen[0]).not.toEqual(seen[1]);
  });

  it('shards without shuffling are disjoint and together cover every row', { timeout: 60_000 }, async () => {
    const loop = async () => {
      const rows: number[] = [];
      for await (const row of train.getDatasetShard('train').iterRows()) rows.push(row.id as number);
      const marks = new Float64Array(40);
      for (const id of rows) marks[id] = (marks[id] ?? 0) + 1;
      const counts = await train.allreduce(marks, 'sum');
      await train.report({ rows: rows.join(','), counts: Array.from(counts).join(',') });
    };
    const result = await new train.DataParallelTrainer(loop, { scalingConfig: { numWorkers: 2 }, datasets: { train: data.range(40) } }).fit();
    expect(result.metrics.rows).toBe(Array.from({ length: 20 }, (_, i) => i).join(','));
    // Every row reached exactly one worker.
    expect(result.metrics.counts).toBe(new Array(40).fill(1).join(','));
  });

  it('allreduces typed arrays, tensors and nested objects with sum, mean and max', { timeout: 90_000 }, async () => {
    const loop = async () => {
      const r = train.getContext().worldRank;
      const sum = await train.allreduce(new Float32Array([r, 10 * r, 1]), 'sum');
      const mean = await train.allreduce({ a: new Float64Array([r]), b: [new Int32Array([2 * r + 2])] }, 'mean');
      const max = await train.allreduce(new Float32Array([r, -r]), 'max');
      const t = tf.tensor2d([[r, r + 1]]);
      const tensorMean = (await train.allreduce(t, 'mean')) as typeof t;
      await train.report({
        sum: Array.from(sum).join(','),
        meanA: mean.a[0],
        meanB: mean.b[0]![0],
        max: Array.from(max).join(','),
        tensor: Array.from(await tensorMean.data()).join(','),
        shape: tensorMean.shape.join('x'),
      });
    };
    const result = await new train.DataParallelTrainer(loop, { scalingConfig: { numWorkers: 2 } }).fit();
    expect(result.metrics).toMatchObject({ sum: '1,10,2', meanA: 0.5, meanB: 3, max: '1,0', tensor: '0.5,1.5', shape: '1x2' });
  });
});

describe('DataParallelTrainer bad input', () => {
  it('refuses numWorkers below 1 and above what the cluster could hold, saying what is there', async () => {
    const loop = () => undefined;
    expect(() => new train.DataParallelTrainer(loop, { scalingConfig: { numWorkers: 0 } })).toThrow(train.TrainConfigError);
    const trainer = new train.DataParallelTrainer(loop, { scalingConfig: { numWorkers: 5 } });
    await expect(trainer.fit()).rejects.toThrow(/at most 2 .*CPU/);
  });

  it('ends with a clear error when workers report different numbers of times', { timeout: 60_000 }, async () => {
    const loop = async () => {
      const n = train.getContext().worldRank === 0 ? 2 : 3;
      for (let i = 0; i < n; i++) await train.report({ i });
    };
    const error = await new train.DataParallelTrainer(loop, { scalingConfig: { numWorkers: 2 } }).fit().catch((e: unknown) => e);
    expect((error as Error).name).toBe('TrainingFailedError');
    expect((error as Error).message).toMatch(/worker 0: 2, worker 1: 3/);
  });

  it('fails an allreduce that a finished worker will never join instead of hanging', { timeout: 60_000 }, async () => {
    const loop = async () => {
      const steps = train.getContext().worldRank === 0 ? 3 : 2;
      for (let i = 0; i < steps; i++) await train.allreduce(new Float32Array([i]));
    };
    const error = await new train.DataParallelTrainer(loop, { scalingConfig: { numWorkers: 2 } }).fit().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/WorkerStepMismatchError/);
    expect((error as Error).message).toMatch(/worker 1, whose training loop ended after 2 allreduce calls/);
  });

  it('names an unknown dataset', { timeout: 60_000 }, async () => {
    const loop = async () => {
      train.getDatasetShard('valid');
    };
    const error = await new train.DataParallelTrainer(loop, { datasets: { train: data.range(4) } }).fit().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/UnknownDatasetError/);
    expect((error as Error).message).toMatch(/no dataset 'valid' \(it has 'train'\)/);
  });

  it("ends fit() with a worker's exception and its remote stack", { timeout: 60_000 }, async () => {
    const loop = async () => {
      if (train.getContext().worldRank === 1) throw new RangeError('bad learning rate');
      await train.report({ ok: 1 });
    };
    const error = await new train.DataParallelTrainer(loop, { scalingConfig: { numWorkers: 2 } }).fit().catch((e: unknown) => e);
    expect((error as Error).name).toBe('TrainingFailedError');
    expect((error as Error).message).toMatch(/RangeError: bad learning rate/);
    expect((error as Error).message).toMatch(/Remote stack:\n.*RangeError/);
    expect((error as { cause?: unknown }).cause).toBeInstanceOf(Error);
  });
});
