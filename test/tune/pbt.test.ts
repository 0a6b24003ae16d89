/** PBT's exploit and explore on a population whose ranking is known. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/rl/env/random.ts';
import { PopulationBasedTraining } from '../../src/tune/schedulers/pbt.ts';
import { explore } from '../../src/tune/schedulers/pbt-explore.ts';
import type { TrialView } from '../../src/tune/schedulers/scheduler.ts';
import { randint, uniform } from '../../src/tune/search-space.ts';

describe('explore', () => {
  it('multiplies continuous values by 1.2 or 0.8, keeps integers whole, and moves list values to a neighbour', () => {
    const rng = createRng(1);
    const seen = { lr: new Set<number>(), n: new Set<number>(), act: new Set<unknown>() };
    for (let i = 0; i < 200; i++) {
      const next = explore({ lr: 0.1, n: 10, act: 'b', fixed: 7 }, { lr: uniform(0, 1), n: randint(1, 100), act: ['a', 'b', 'c'] }, 0, [1.2, 0.8], rng);
      seen.lr.add(next.lr as number);
      seen.n.add(next.n as number);
      seen.act.add(next.act);
      expect(next.fixed).toBe(7);
    }
    expect([...seen.lr].sort()).toEqual([0.1 * 0.8, 0.1 * 1.2].sort());
    expect([...seen.n].sort()).toEqual([12, 8].sort());
    expect([...seen.act].sort()).toEqual(['a', 'c']);
  });

  it('stays inside the list at its ends, and resamples with resampleProbability', () => {
    const rng = createRng(2);
    const ends = new Set<unknown>();
    for (let i = 0; i < 100; i++) ends.add(explore({ act: 'a' }, { act: ['a', 'b', 'c'] }, 0, [1.2, 0.8], rng).act);
    expect([...ends].sort()).toEqual(['a', 'b']);
    for (let i = 0; i < 50; i++) {
      const lr = explore({ lr: 5 }, { lr: uniform(0, 1) }, 1, [1.2, 0.8], rng).lr as number;
      expect(lr).toBeGreaterThanOrEqual(0);
      expect(lr).toBeLessThan(1);
    }
    // A value not in the list is redrawn from it.
    expect(['a', 'b', 'c']).toContain(explore({ act: 'z' }, { act: ['a', 'b', 'c'] }, 0, [1.2, 0.8], rng).act);
  });
});

describe('PopulationBasedTraining', () => {
  function trial(trialId: string, lr: number): TrialView {
    return { trialId, config: { lr }, checkpoint: { from: trialId }, lastResult: null };
  }

  it('restarts bottom-quantile trials from a top trial’s checkpoint with its config perturbed', () => {
    const pbt = new PopulationBasedTraining({ timeAttr: 'trainingIteration', perturbationInterval: 4, hyperparamMutations: { lr: uniform(0, 1) }, resampleProbability: 0, seed: 3 });
    pbt.setSearchProperties('score', 'max');
    const trials = { A: trial('A', 0.1), B: trial('B', 0.2), C: trial('C', 0.3), D: trial('D', 0.4) };
    Object.values(trials).forEach((t) => pbt.onTrialAdd(t));
    // Before the interval nothing happens.
    expect(pbt.onTrialResult(trials.D, { trainingIteration: 3, score: 4 })).toBe('CONTINUE');
    // At t = 4, D, C, B, A report in turn. D alone is not ranked. Then ceil(n/4) = 1 trial each
    // side: C is bottom of (C, D), B of (B, C, D), A of all four; each copies D, the top.
    expect(pbt.onTrialResult(trials.D, { trainingIteration: 4, score: 4 })).toBe('CONTINUE');
    const c = pbt.onTrialResult(trials.C, { trainingIteration: 4, score: 3 });
    const b = pbt.onTrialResult(trials.B, { trainingIteration: 4, score: 2 });
    const a = pbt.onTrialResult(trials.A, { trainingIteration: 4, score: 1 });
    for (const decision of [a, b, c]) {
      if (typeof decision !== 'object') throw new Error(`expected a restart, got ${decision}`);
      expect(decision.restart.checkpoint).toEqual({ from: 'D' });
      expect([0.4 * 1.2, 0.4 * 0.8]).toContain(decision.restart.config.lr);
    }
    expect(pbt.exploits.map((e) => [e.trialId, e.cloneOf])).toEqual([
      ['C', 'D'],
      ['B', 'D'],
      ['A', 'D'],
    ]);
    // The top trial goes on, and the next perturbation of A waits another interval.
    expect(pbt.onTrialResult(trials.D, { trainingIteration: 8, score: 8 })).toBe('CONTINUE');
    expect(pbt.onTrialResult(trials.A, { trainingIteration: 7, score: 0 })).toBe('CONTINUE');
  });

  it('needs hyperparameters to mutate', () => {
    expect(() => new PopulationBasedTraining()).toThrow(/hyperparamMutations/);
  });
});
