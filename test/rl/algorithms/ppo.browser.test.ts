/**
 * PPO learns CartPole-v1 in real workers: a learner actor and two env-runner actors. Fixed seed
 * and a bounded number of env steps; never a time bound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, onEvent, rl, shutdown, type MetricEvent, type RayboxEvent } from '../../../src/index.ts';
import type { TrainResult } from '../../../src/rl/index.ts';

beforeAll(async () => {
  await init({ numWorkers: 1 });
});
afterAll(async () => {
  await shutdown();
});

describe('PPO', () => {
  it('reaches a mean return of 150 on CartPole-v1 within 60,000 env steps', { timeout: 300_000 }, async () => {
    const metrics: MetricEvent[] = [];
    const unsubscribe = onEvent((event: RayboxEvent) => {
      if (event.type === 'metric') metrics.push(event);
    });
    const algo = new rl.PPOConfig()
      .environment('CartPole-v1')
      .envRunners({ numEnvRunners: 2, numEnvsPerEnvRunner: 4 })
      .debugging({ seed: 0 })
      .build();
    const results: TrainResult[] = [];
    try {
      for (;;) {
        const result = await algo.train();
        results.push(result);
        console.log(
          `PPO iteration ${result.trainingIteration}: ${result.numEnvStepsSampledLifetime} steps, mean return ${result.episodeReturnMean.toFixed(1)}, ` +
            `${result.timeThisIterS.toFixed(2)} s, kl ${result.learner['kl']?.toFixed(4)}`,
        );
        if (result.episodeReturnMean >= 150 || result.numEnvStepsSampledLifetime >= 60_000) break;
      }
    } finally {
      unsubscribe();
      await algo.stop();
    }
    const last = results.at(-1) as TrainResult;
    expect(last.episodeReturnMean).toBeGreaterThanOrEqual(150);
    expect(last.numEnvStepsSampledLifetime).toBeLessThanOrEqual(60_000);
    // Every iteration samples trainBatchSize steps: 2 runners × 4 envs × 250.
    expect(results.every((r) => r.numEnvStepsSampled === 2000)).toBe(true);
    expect(Object.keys(last).sort()).toEqual(
      [
        'episodeLenMean',
        'episodeReturnMax',
        'episodeReturnMean',
        'episodeReturnMin',
        'learner',
        'numEnvStepsSampled',
        'numEnvStepsSampledLifetime',
        'numEpisodes',
        'timeThisIterS',
        'timeTotalS',
        'trainingIteration',
      ].sort(),
    );
    expect(Object.keys(last.learner)).toEqual(expect.arrayContaining(['policyLoss', 'vfLoss', 'entropy', 'kl']));
    // Each iteration was published for the notebook's live chart.
    const published = metrics.filter((m) => m.source === 'PPO CartPole-v1');
    expect(published.map((m) => m.step)).toEqual(results.map((r) => r.trainingIteration));
    expect(published.at(-1)?.values['episodeReturnMean']).toBe(last.episodeReturnMean);
  });
});
