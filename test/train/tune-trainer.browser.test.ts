/**
 * A raybox.train trainer as a Tune trainable: the param space samples trainLoopConfig and
 * scalingConfig, each trial runs a worker group, and its rank-0 reports are the trial's results.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, shutdown, train, tune } from '../../src/index.ts';

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await shutdown();
});

describe('Tuner(trainer)', () => {
  it('grids over numWorkers and a loop setting, one group per trial', { timeout: 240_000 }, async () => {
    const loop = async (config: Record<string, unknown>) => {
      const { worldSize } = train.getContext();
      for (let epoch = 0; epoch < 2; epoch++) {
        const total = await train.allreduce(new Float64Array([config.scale as number]), 'sum');
        await train.report({ epoch, worldSize, score: total[0]! * (epoch + 1) });
      }
    };
    const trainer = new train.DataParallelTrainer(loop, { trainLoopConfig: { scale: 1 }, runConfig: { name: 'tuned' } });
    const grid = await new tune.Tuner(trainer, {
      paramSpace: { trainLoopConfig: { scale: tune.gridSearch([1, 3]) }, scalingConfig: { numWorkers: tune.gridSearch([1, 2]) } },
      tuneConfig: { metric: 'score', mode: 'max' },
    }).fit();
    expect(grid.numErrors).toBe(0);
    const rows = [...grid].map((r) => ({
      scale: (r.config.trainLoopConfig as { scale: number }).scale,
      workers: (r.config.scalingConfig as { numWorkers: number }).numWorkers,
      worldSize: r.metrics.worldSize,
      score: r.metrics.score,
      iterations: r.metricsHistory.map((m) => m.trainingIteration),
    }));
    expect(rows).toEqual([
      { scale: 1, workers: 1, worldSize: 1, score: 2, iterations: [1, 2] },
      { scale: 3, workers: 1, worldSize: 1, score: 6, iterations: [1, 2] },
      { scale: 1, workers: 2, worldSize: 2, score: 4, iterations: [1, 2] },
      { scale: 3, workers: 2, worldSize: 2, score: 12, iterations: [1, 2] },
    ]);
    expect(grid.getBestResult().metrics.score).toBe(12);
  });
});
