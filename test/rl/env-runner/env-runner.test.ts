import { describe, expect, it } from 'vitest';
import { EnvRunner, type EnvRunnerSpec } from '../../../src/rl/index.ts';
import { concatBatches } from '../../../src/rl/env-runner/sample-batch.ts';
import type { PolicySpec } from '../../../src/rl/models/policy-spec.ts';

/** A linear actor-critic for CartPole: push the way the pole leans, V(s) = 1. */
const leanPolicy: PolicySpec = {
  type: 'actor-critic',
  pi: { inputs: 4, hiddens: [], outputs: 2, activation: 'linear' },
  vf: { inputs: 4, hiddens: [], outputs: 1, activation: 'linear' },
};
const leanWeights = [
  { shape: [4, 2], data: Float32Array.of(0, 0, 0, 0, -50, 50, -10, 10) },
  { shape: [2], data: Float32Array.of(0, 0) },
  { shape: [4, 1], data: new Float32Array(4) },
  { shape: [1], data: Float32Array.of(1) },
];

function cartPoleRunner(seed: number, numEnvs = 3): EnvRunner {
  const spec: EnvRunnerSpec = { env: { id: 'CartPole-v1', config: { maxEpisodeSteps: 20 } }, numEnvs, seed, policy: leanPolicy };
  return new EnvRunner(spec);
}

describe('EnvRunner.sample', () => {
  it('returns numSteps × numEnvs rows with actor-critic columns and GAE advantages', () => {
    const runner = cartPoleRunner(1);
    const { batch, episodes } = runner.sample({ numSteps: 50, weights: leanWeights, gamma: 0.9, lambda: 1 });
    expect(batch.count).toBe(150);
    expect(batch.obs.length).toBe(600);
    for (const column of [batch.actions, batch.rewards, batch.logp!, batch.vfPreds!, batch.advantages!, batch.valueTargets!]) expect(column.length).toBe(150);
    expect(batch.nextObs).toBeUndefined();
    // The balancing policy reaches the 20-step time limit: 2 episodes per env in 50 steps.
    expect(episodes).toHaveLength(6);
    expect(episodes.every((e) => e.length === 20 && e.return === 20)).toBe(true);
    expect(runner.stepsSampled).toBe(150);
    // V = 1 everywhere; truncation bootstraps, so the first step's target is 1 + 0.9 + … + 0.9^19 + 0.9^20 · 1.
    expect(batch.valueTargets![0]).toBeCloseTo((1 - 0.9 ** 20) / 0.1 + 0.9 ** 20, 4);
  });

  it('is reproducible from its seed, and runners with other seeds see other episodes', () => {
    const a = cartPoleRunner(7).sample({ numSteps: 30, weights: leanWeights, gamma: 0.99, lambda: 0.95 });
    const b = cartPoleRunner(7).sample({ numSteps: 30, weights: leanWeights, gamma: 0.99, lambda: 0.95 });
    const c = cartPoleRunner(1007).sample({ numSteps: 30, weights: leanWeights, gamma: 0.99, lambda: 0.95 });
    expect(Array.from(b.batch.obs)).toEqual(Array.from(a.batch.obs));
    expect(Array.from(b.batch.actions)).toEqual(Array.from(a.batch.actions));
    expect(Array.from(c.batch.obs)).not.toEqual(Array.from(a.batch.obs));
    // Envs of one runner start apart too (seed + j).
    expect(Array.from(a.batch.obs.subarray(0, 4))).not.toEqual(Array.from(a.batch.obs.subarray(4, 8)));
  });

  it('carries episodes on across calls and keeps the weights it was given last', () => {
    const runner = cartPoleRunner(3, 1);
    const first = runner.sample({ numSteps: 15, weights: leanWeights });
    const second = runner.sample({ numSteps: 15 });
    expect(first.episodes).toEqual([]);
    expect(second.episodes).toEqual([{ return: 20, length: 20 }]);
  });

  it('gives Q-learning batches next observations and termination flags', () => {
    const runner = new EnvRunner({
      env: { id: 'Maze-v0', config: {} },
      numEnvs: 2,
      seed: 0,
      policy: { type: 'q', q: { inputs: 25, hiddens: [], outputs: 4, activation: 'linear' } },
    });
    const weights = [
      { shape: [25, 4], data: new Float32Array(100) },
      { shape: [4], data: Float32Array.of(0, 0, 0, 1) }, // always right
    ];
    const { batch } = runner.sample({ numSteps: 4, weights, explore: false });
    expect(batch.count).toBe(8);
    expect(Array.from(batch.actions)).toEqual(new Array(8).fill(3));
    expect(batch.nextObs!.length).toBe(8 * 25);
    expect(Array.from(batch.terminateds!)).toEqual(new Array(8).fill(0));
    // Env 0's first transition: cell 0 → cell 1.
    expect(batch.obs[0]).toBe(1);
    expect(batch.nextObs![1]).toBe(1);
    expect(batch.logp).toBeUndefined();
  });
});

describe('concatBatches', () => {
  it('joins the columns of several runners end to end', () => {
    const a = cartPoleRunner(1, 1).sample({ numSteps: 3, weights: leanWeights });
    const b = cartPoleRunner(2, 1).sample({ numSteps: 2, weights: leanWeights });
    const joined = concatBatches([a.batch, b.batch]);
    expect(joined.count).toBe(5);
    expect(Array.from(joined.obs)).toEqual([...a.batch.obs, ...b.batch.obs]);
    expect(Array.from(joined.advantages!)).toEqual([...a.batch.advantages!, ...b.batch.advantages!]);
    expect(joined.actions).toBeInstanceOf(Int32Array);
  });
});
