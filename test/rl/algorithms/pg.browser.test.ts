/**
 * Vanilla policy gradient (REINFORCE with a baseline) improves CartPole-v1's mean return over
 * its first iterations. Fixed seed; six iterations of 2000 env steps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, rl, shutdown } from '../../../src/index.ts';

beforeAll(async () => {
  await init({ numWorkers: 1 });
});
afterAll(async () => {
  await shutdown();
});

describe('PG', () => {
  it("improves CartPole-v1's mean return over its first six iterations", { timeout: 120_000 }, async () => {
    const algo = new rl.PGConfig()
      .environment('CartPole-v1')
      .envRunners({ numEnvRunners: 1, numEnvsPerEnvRunner: 4 })
      .debugging({ seed: 0 })
      .build();
    const returns: number[] = [];
    try {
      for (let i = 0; i < 6; i++) {
        const result = await algo.train();
        returns.push(result.episodeReturnMean);
        console.log(`PG iteration ${result.trainingIteration}: mean return ${result.episodeReturnMean.toFixed(1)}`);
      }
    } finally {
      await algo.stop();
    }
    const first = returns[0] as number;
    const last = returns.at(-1) as number;
    expect(last).toBeGreaterThan(first * 1.25);
  });
});
