/**
 * DQN learns the maze of Learning Ray, chapter 3: after training, its greedy policy walks the
 * 8-step shortest path. Fixed seed, bounded env steps, sampling in the learner's own worker
 * (numEnvRunners: 0).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, rl, shutdown } from '../../../src/index.ts';

beforeAll(async () => {
  await init({ numWorkers: 1 });
});
afterAll(async () => {
  await shutdown();
});

describe('DQN', () => {
  it('evaluates to the 8-step optimum on Maze-v0 within 10,000 env steps', { timeout: 300_000 }, async () => {
    const algo = new rl.DQNConfig()
      .environment('Maze-v0')
      .envRunners({ numEnvRunners: 0 })
      .training({ gamma: 0.9, epsilon: [[0, 1], [4000, 0.05]] })
      .debugging({ seed: 0 })
      .build();
    let evaluation = await algo.evaluate({ numEpisodes: 1 });
    try {
      let steps = 0;
      while (steps < 10_000) {
        const result = await algo.train();
        steps = result.numEnvStepsSampledLifetime;
        evaluation = await algo.evaluate({ numEpisodes: 1 });
        console.log(
          `DQN iteration ${result.trainingIteration}: ${steps} steps, ε ${result.learner['epsilon']?.toFixed(2)}, ` +
            `mean episode length ${result.episodeLenMean.toFixed(1)}, greedy episode ${evaluation.episodeLenMean} steps`,
        );
        if (evaluation.episodeLenMean === 8) break;
      }
      expect(evaluation).toMatchObject({ episodeLenMean: 8, episodeReturnMean: 1, numEpisodes: 1 });
      // The maze is deterministic: every greedy episode is the same 8 steps.
      expect((await algo.evaluate({ numEpisodes: 3 })).episodeLens).toEqual([8, 8, 8]);
      // Acting greedily from the start cell moves down (0) or right (3), never away from the goal.
      expect([0, 3]).toContain(await algo.computeSingleAction(0));
    } finally {
      await algo.stop();
    }
  });

  it('samples with remote env runners too: each round every runner adds its fragment to the replay buffer', { timeout: 120_000 }, async () => {
    const algo = new rl.DQNConfig()
      .environment('Maze-v0')
      .envRunners({ numEnvRunners: 2, numEnvsPerEnvRunner: 2, rolloutFragmentLength: 8 })
      .training({ numStepsSampledBeforeLearningStarts: 64, minSampleTimestepsPerIteration: 256, model: { fcnetHiddens: [16] } })
      .debugging({ seed: 1 })
      .build();
    try {
      const result = await algo.train();
      // Rounds of 2 runners × 2 envs × 8 steps until at least 256 steps: 8 rounds.
      expect(result.numEnvStepsSampled).toBe(256);
      expect(result.learner['replayBufferSize']).toBe(256);
      // One gradient step per round once 64 steps were sampled: rounds 2 to 8.
      expect(result.learner['numGradientSteps']).toBe(7);
    } finally {
      await algo.stop();
    }
  });
});
