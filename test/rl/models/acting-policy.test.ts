import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/rl/env/index.ts';
import { ActingPolicy } from '../../../src/rl/models/acting-policy.ts';
import { argmax, sampleCategorical } from '../../../src/rl/models/categorical.ts';
import { obsEncoder } from '../../../src/rl/models/obs-encoder.ts';

/** A linear network (no hidden layers) with the given kernel and bias. */
function linear(inputs: number, outputs: number, kernel: number[], bias: number[]) {
  return [
    { shape: [inputs, outputs], data: Float32Array.from(kernel) },
    { shape: [outputs], data: Float32Array.from(bias) },
  ];
}

describe('sampleCategorical', () => {
  it('draws actions with the softmax probabilities of the logits and returns their log-probability', () => {
    const logits = Float32Array.of(Math.log(1), Math.log(3)); // p = [0.25, 0.75]
    const rng = createRng(1);
    let ones = 0;
    for (let i = 0; i < 4000; i++) {
      const { action, logp } = sampleCategorical(logits, 0, 2, rng);
      expect(logp).toBeCloseTo(Math.log(action === 1 ? 0.75 : 0.25), 6);
      ones += action;
    }
    expect(ones / 4000).toBeGreaterThan(0.72);
    expect(ones / 4000).toBeLessThan(0.78);
  });

  it('argmax takes the first of equal values', () => {
    expect(argmax([0, 2, 2, 1], 0, 4)).toBe(1);
    expect(argmax([5, 0, 2, 2, 1], 1, 4)).toBe(1);
  });
});

describe('ActingPolicy.act', () => {
  it('acts greedily on Q-values without exploring, and uniformly at ε = 1', () => {
    const policy = new ActingPolicy({ type: 'q', q: { inputs: 1, hiddens: [], outputs: 3, activation: 'linear' } });
    policy.setWeights(linear(1, 3, [0, 1, -1], [0, 0, 0]));
    const obs = Float32Array.of(2, -2);
    expect(Array.from(policy.act(obs, 2, { explore: false }, createRng(0)).actions)).toEqual([1, 2]);
    const counts = [0, 0, 0];
    const rng = createRng(2);
    for (let i = 0; i < 3000; i++) counts[policy.act(obs, 1, { explore: true, epsilon: 1 }, rng).actions[0]!]!++;
    for (const count of counts) expect(count).toBeGreaterThan(900);
  });

  it('gives actor-critic actions with their log-probabilities and V(s)', () => {
    const spec = { type: 'actor-critic' as const, pi: { inputs: 2, hiddens: [], outputs: 2, activation: 'linear' as const }, vf: { inputs: 2, hiddens: [], outputs: 1, activation: 'linear' as const } };
    const policy = new ActingPolicy(spec);
    policy.setWeights([...linear(2, 2, [10, -10, 0, 0], [0, 0]), ...linear(2, 1, [1, 2], [0.5])]);
    const out = policy.act(Float32Array.of(1, 1, -1, 0), 2, { explore: false }, createRng(0));
    expect(Array.from(out.actions)).toEqual([0, 1]);
    expect(out.logp![0]).toBeCloseTo(-Math.log1p(Math.exp(-20)), 6);
    expect(Array.from(out.values!)).toEqual([3.5, -0.5]);
  });

  it('refuses to act before it has weights', () => {
    const policy = new ActingPolicy({ type: 'q', q: { inputs: 1, hiddens: [], outputs: 2, activation: 'linear' } });
    expect(() => policy.act(Float32Array.of(0), 1, { explore: false }, createRng(0))).toThrow(/call setWeights/);
  });
});

describe('obsEncoder', () => {
  it('one-hot encodes Discrete observations and copies Box ones', () => {
    const maze = obsEncoder({ type: 'Discrete', n: 25 });
    const x = new Float32Array(27).fill(9);
    maze.encode(7, x, 1);
    expect(x[0]).toBe(9);
    expect(Array.from(x.subarray(1, 26)).map((v, i) => (v === 1 ? i : -1)).filter((i) => i >= 0)).toEqual([7]);
    const cart = obsEncoder({ type: 'Box', low: [-1, -1], high: [1, 1], shape: [2] });
    const y = new Float32Array(2);
    cart.encode(Float32Array.of(0.5, -0.25), y, 0);
    expect(Array.from(y)).toEqual([0.5, -0.25]);
    expect(() => maze.encode(25, x, 0)).toThrow(/outside Discrete\(25\)/);
  });
});
