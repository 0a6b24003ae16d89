/**
 * Synchronous HyperBand driving real trial actors: trials pause at their bracket's milestone,
 * giving up their actor, and the best resume from their checkpoint after the halving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, shutdown, tune } from '../../src/index.ts';

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await shutdown();
});

describe('HyperBandScheduler in a Tuner', () => {
  it('halves a bracket and resumes the best trial from its checkpoint', { timeout: 90_000 }, async () => {
    const trainable = async (config: Record<string, unknown>) => {
      const start = tune.getCheckpoint<{ step: number }>()?.step ?? 0;
      for (let step = start + 1; step <= 10; step++) await tune.report({ score: config.x as number, resumedFrom: start }, { checkpoint: { step } });
    };
    const scheduler = new tune.HyperBandScheduler({ maxT: 3, reductionFactor: 3 });
    const grid = await new tune.Tuner(trainable, {
      // maxT 3, eta 3: bracket 0 holds 2 trials run to 3; bracket 1 holds 3 trials halved at 1.
      paramSpace: { x: tune.gridSearch([10, 20, 30, 5, 25]) },
      tuneConfig: { metric: 'score', mode: 'max', scheduler, maxConcurrentTrials: 2 },
    }).fit();
    const iterations = [...grid].map((r) => r.metricsHistory.map((m) => m.trainingIteration));
    expect(iterations).toEqual([[1, 2, 3], [1, 2, 3], [1, 2, 3], [1], [1]]);
    // The best of bracket 1 paused at its milestone and went on from its checkpoint there.
    expect([...grid][2]?.metricsHistory.map((m) => m.resumedFrom)).toEqual([0, 1, 1]);
    // Bracket 0 has no halving: the trial that reached 3 first paused and was stopped there, not resumed.
    expect([...grid].map((r) => r.metrics.resumedFrom)).toEqual([0, 0, 1, 0, 0]);
    expect(scheduler.numStopped).toBe(2);
    expect(grid.numErrors).toBe(0);
  });
});
