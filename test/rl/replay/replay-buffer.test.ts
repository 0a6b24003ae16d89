import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/rl/env/index.ts';
import { ReplayBuffer } from '../../../src/rl/replay/replay-buffer.ts';
import type { SampleBatch } from '../../../src/rl/env-runner/sample-batch.ts';

/** `count` transitions numbered from `first`: obs [i, -i], action i % 4, reward i. */
function transitions(first: number, count: number): SampleBatch {
  const ids = Array.from({ length: count }, (_, k) => first + k);
  return {
    count,
    obsSize: 2,
    obs: Float32Array.from(ids.flatMap((i) => [i, -i])),
    actions: Int32Array.from(ids.map((i) => i % 4)),
    rewards: Float32Array.from(ids),
    nextObs: Float32Array.from(ids.flatMap((i) => [i + 1, -i - 1])),
    terminateds: Uint8Array.from(ids.map((i) => (i % 5 === 0 ? 1 : 0))),
  };
}

describe('ReplayBuffer', () => {
  it('keeps the newest `capacity` transitions once full', () => {
    const buffer = new ReplayBuffer(5, 2);
    buffer.add(transitions(0, 3));
    buffer.add(transitions(3, 4));
    expect(buffer.size).toBe(5);
    expect(buffer.added).toBe(7);
    const seen = new Set<number>();
    const rng = createRng(0);
    for (let i = 0; i < 20; i++) for (const r of buffer.sample(8, rng).rewards) seen.add(r);
    expect([...seen].sort()).toEqual([2, 3, 4, 5, 6]);
  });

  it('samples whole transitions: each row of every column is the same transition', () => {
    const buffer = new ReplayBuffer(100, 2);
    buffer.add(transitions(0, 50));
    const sample = buffer.sample(32, createRng(1));
    for (let k = 0; k < 32; k++) {
      const i = sample.rewards[k]!;
      expect([sample.obs[2 * k], sample.obs[2 * k + 1]]).toEqual([i, -i]);
      expect([sample.nextObs[2 * k], sample.nextObs[2 * k + 1]]).toEqual([i + 1, -i - 1]);
      expect(sample.actions[k]).toBe(i % 4);
      expect(sample.terminateds[k]).toBe(i % 5 === 0 ? 1 : 0);
    }
  });

  it('draws the same minibatches from the same seed', () => {
    const buffer = new ReplayBuffer(100, 2);
    buffer.add(transitions(0, 100));
    expect(Array.from(buffer.sample(16, createRng(4)).rewards)).toEqual(Array.from(buffer.sample(16, createRng(4)).rewards));
  });

  it('says what is wrong with a batch it cannot hold', () => {
    const buffer = new ReplayBuffer(10, 3);
    expect(() => buffer.add(transitions(0, 2))).toThrow(/holds observations of 3 floats, the batch has 2/);
    expect(() => buffer.sample(1, createRng(0))).toThrow(/empty/);
  });
});
