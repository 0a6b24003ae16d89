/**
 * Searchers and schedulers through real trial actors: TPE (behind a ConcurrencyLimiter) and GP
 * search reach a known optimum; ASHA stops the trials its rule stops; an RL algorithm by name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, shutdown, tune } from '../../src/index.ts';

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await shutdown();
});

/** Minimum 0 at x = 0.3, y = −0.2. */
const bowl = (config: Record<string, unknown>) => ({ loss: ((config.x as number) - 0.3) ** 2 + ((config.y as number) + 0.2) ** 2 });

describe('searchers through trial actors', () => {
  it('TPESearch behind a ConcurrencyLimiter reaches the optimum', { timeout: 120_000 }, async () => {
    const searchAlg = new tune.ConcurrencyLimiter(new tune.TPESearch({ seed: 0 }), { maxConcurrent: 1 });
    const grid = await new tune.Tuner(bowl, {
      paramSpace: { x: tune.uniform(-1, 1), y: tune.uniform(-1, 1) },
      tuneConfig: { metric: 'loss', mode: 'min', numSamples: 60, searchAlg, reuseActors: true },
    }).fit();
    expect(grid.length).toBe(60);
    expect(grid.getBestResult().metrics.loss).toBeLessThan(0.01);
  });

  it('BayesOptSearch with randomSearchSteps 4 reaches the optimum', { timeout: 120_000 }, async () => {
    const analysis = await tune.run(bowl, {
      config: { x: tune.uniform(-1, 1), y: tune.uniform(-1, 1) },
      metric: 'loss',
      mode: 'min',
      numSamples: 30,
      searchAlg: new tune.ConcurrencyLimiter(new tune.BayesOptSearch({ randomSearchSteps: 4, seed: 0 }), { maxConcurrent: 1 }),
      reuseActors: true,
    });
    expect(analysis.bestResult.loss as number).toBeLessThan(0.01);
  });
});

describe('ASHA through trial actors', () => {
  it('stops the trials the cut-off rule stops, one trial at a time', { timeout: 120_000 }, async () => {
    const trainable = async (config: Record<string, unknown>) => {
      for (let i = 0; i < 100; i++) await tune.report({ score: config.q as number });
    };
    const grid = await new tune.Tuner(trainable, {
      paramSpace: { q: tune.gridSearch([4, 1, 3, 2]) },
      tuneConfig: { metric: 'score', mode: 'max', maxConcurrentTrials: 1, scheduler: new tune.ASHAScheduler({ maxT: 8, gracePeriod: 1, reductionFactor: 2 }) },
    }).fit();
    // As worked out in schedulers.test.ts: 4 runs to maxT, 1 stops at rung 1, 3 at rung 2, 2 at rung 1.
    expect([...grid].map((r) => [r.config.q, r.metrics.trainingIteration])).toEqual([
      [4, 8],
      [1, 1],
      [3, 2],
      [2, 1],
    ]);
  });
});

describe('RL algorithms as trainables', () => {
  it("runs tune.run('PG', { config: { env, lr } }) with the settings from the config", { timeout: 300_000 }, async () => {
    const analysis = await tune.run('PG', {
      config: { env: 'CartPole-v1', lr: tune.gridSearch([0.001, 0.01]), trainBatchSize: 200, numEnvRunners: 1, seed: 1 },
      metric: 'episodeReturnMean',
      mode: 'max',
      stop: { trainingIteration: 1 },
    });
    expect(analysis.trials.map((t) => t.config.lr)).toEqual([0.001, 0.01]);
    for (const trial of analysis.trials) {
      expect(trial.error).toBeNull();
      expect(trial.metricsHistory.map((m) => m.trainingIteration)).toEqual([1]);
      expect(trial.metrics.numEnvStepsSampled as number).toBeGreaterThanOrEqual(200);
      expect(typeof trial.metrics.episodeReturnMean).toBe('number');
    }
  });

  it('refuses a training setting the algorithm does not have, recording it as the trial’s error', { timeout: 60_000 }, async () => {
    const analysis = await tune.run('DQN', { config: { env: 'CartPole-v1', learningRate: 0.1 } });
    expect(analysis.resultGrid.numErrors).toBe(1);
    expect(analysis.trials[0]?.error?.message).toContain('learningRate');
  });
});
