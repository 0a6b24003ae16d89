import { describe, expect, it } from 'vitest';
import { computeGae } from '../../../src/rl/env-runner/advantages.ts';

const f = (...values: number[]) => Float32Array.from(values);
const u = (...values: number[]) => Uint8Array.from(values);

describe('computeGae', () => {
  it('matches the recursion by hand on one env: bootstrap at the cut, none after termination', () => {
    const gamma = 0.9;
    const lambda = 0.8;
    // Steps 0..3; the episode terminates at step 1, a new one runs steps 2..3 and is cut there.
    const rewards = f(1, 2, 3, 4);
    const values = f(0.5, 1, 1.5, 2);
    const { advantages, valueTargets } = computeGae({
      numSteps: 4,
      numEnvs: 1,
      rewards,
      values,
      terminated: u(0, 1, 0, 0),
      truncated: u(0, 0, 0, 0),
      truncatedValues: f(0, 0, 0, 0),
      lastValues: f(10),
      gamma,
      lambda,
    });
    const d3 = 4 + gamma * 10 - 2;
    const d2 = 3 + gamma * 2 - 1.5;
    const d1 = 2 - 1; // terminated: nothing to bootstrap
    const d0 = 1 + gamma * 1 - 0.5;
    const expected = [d0 + gamma * lambda * d1, d1, d2 + gamma * lambda * d3, d3];
    expected.forEach((a, i) => expect(advantages[i]).toBeCloseTo(a, 5));
    expected.forEach((a, i) => expect(valueTargets[i]).toBeCloseTo(a + values[i]!, 5));
  });

  it('bootstraps a truncated step from V(final observation), and keeps envs apart (time-major)', () => {
    // Two envs, two steps: env 0 is truncated at step 0; env 1 runs on.
    const { advantages } = computeGae({
      numSteps: 2,
      numEnvs: 2,
      rewards: f(1, 0, 1, 0),
      values: f(0, 0, 0, 0),
      terminated: u(0, 0, 0, 0),
      truncated: u(1, 0, 0, 0),
      truncatedValues: f(5, 0, 0, 0),
      lastValues: f(0, 2),
      gamma: 0.5,
      lambda: 1,
    });
    expect(advantages[0]).toBeCloseTo(1 + 0.5 * 5); // env 0, step 0: truncated, bootstraps 5
    expect(advantages[2]).toBeCloseTo(1); // env 0, step 1: last value 0
    expect(advantages[3]).toBeCloseTo(0.5 * 2); // env 1, step 1: bootstraps lastValues[1]
    expect(advantages[1]).toBeCloseTo(0.5 * 1); // env 1, step 0: λ = 1 sums the discounted rewards
  });

  it('with λ = 1 gives the discounted return minus the baseline (REINFORCE with a baseline)', () => {
    const { advantages } = computeGae({
      numSteps: 3,
      numEnvs: 1,
      rewards: f(1, 1, 1),
      values: f(0.25, 0.25, 0.25),
      terminated: u(0, 0, 1),
      truncated: u(0, 0, 0),
      truncatedValues: f(0, 0, 0),
      lastValues: f(99),
      gamma: 0.5,
      lambda: 1,
    });
    expect(Array.from(advantages)).toEqual([1.75 - 0.25, 1.5 - 0.25, 1 - 0.25]);
  });
});
