/** Search spaces: ranges, grid crossing and repetition, conditional sampleFrom, bad input. */
import { describe, expect, it } from 'vitest';
import { BasicVariantGenerator } from '../../src/tune/searchers/basic-variant.ts';
import { TuneConfigError } from '../../src/tune/errors.ts';
import { choice, gridSearch, loguniform, qrandint, randint, randn, sampleFrom, uniform } from '../../src/tune/search-space.ts';

function all(space: Record<string, unknown>, numSamples: number, seed = 0): Record<string, unknown>[] {
  const gen = new BasicVariantGenerator({ seed });
  gen.setSearchProperties({ metric: 'score', mode: 'min', space, numSamples });
  const out: Record<string, unknown>[] = [];
  for (let c = gen.suggest('t'); c !== 'FINISHED' && c !== 'WAIT'; c = gen.suggest('t')) out.push(c);
  return out;
}

describe('search spaces', () => {
  it('crosses grids, first key fastest, and repeats the whole grid numSamples times', () => {
    const configs = all({ x: gridSearch([1, 2]), y: gridSearch(['a', 'b', 'c']) }, 2);
    expect(configs).toHaveLength(12);
    expect(configs.slice(0, 6)).toEqual([
      { x: 1, y: 'a' },
      { x: 2, y: 'a' },
      { x: 1, y: 'b' },
      { x: 2, y: 'b' },
      { x: 1, y: 'c' },
      { x: 2, y: 'c' },
    ]);
    expect(configs.slice(6)).toEqual(configs.slice(0, 6));
  });

  it('gives chapter 1 its 25-trial grid', () => {
    const values = [-1, -0.5, 0, 0.5, 1];
    expect(all({ x: gridSearch(values), y: gridSearch(values) }, 1)).toHaveLength(25);
  });

  it('samples each domain within its range, nested at any depth, the same for the same seed', () => {
    const space = { lr: loguniform(1e-4, 1e-1), opt: { m: uniform(0.5, 0.9), layers: randint(1, 4), q: qrandint(0, 100, 10) }, act: choice(['relu', 'tanh']), n: randn(0, 1) };
    const configs = all(space, 200, 7);
    expect(configs).toHaveLength(200);
    for (const c of configs) {
      const opt = c.opt as { m: number; layers: number; q: number };
      expect(c.lr).toBeGreaterThanOrEqual(1e-4);
      expect(c.lr).toBeLessThan(1e-1);
      expect(opt.m).toBeGreaterThanOrEqual(0.5);
      expect(opt.m).toBeLessThan(0.9);
      expect([1, 2, 3]).toContain(opt.layers);
      expect(opt.q % 10).toBe(0);
      expect(['relu', 'tanh']).toContain(c.act);
      expect(Number.isFinite(c.n)).toBe(true);
    }
    // randint's upper bound is exclusive, and every value below it comes up.
    expect(new Set(configs.map((c) => (c.opt as { layers: number }).layers))).toEqual(new Set([1, 2, 3]));
    // loguniform spreads over decades: about a third of draws fall below 1e-3.
    const below = configs.filter((c) => (c.lr as number) < 1e-3).length;
    expect(below).toBeGreaterThan(40);
    expect(below).toBeLessThan(95);
    expect(all(space, 5, 7)).toEqual(configs.slice(0, 5));
    expect(all(space, 5, 8)).not.toEqual(configs.slice(0, 5));
  });

  it('computes sampleFrom from the other sampled values', () => {
    const configs = all({ a: gridSearch([1, 2, 3]), b: sampleFrom((spec) => (spec.config.a as number) * 10) }, 1);
    expect(configs.map((c) => c.b)).toEqual([10, 20, 30]);
  });

  it('refuses bad spaces with errors that say what to do', () => {
    expect(() => gridSearch([])).toThrow(TuneConfigError);
    expect(() => uniform(1, 0)).toThrow(/swap them/);
    expect(() => loguniform(0, 1)).toThrow(TuneConfigError);
    expect(() => choice([])).toThrow(TuneConfigError);
    expect(() => randint(0.5, 3)).toThrow(TuneConfigError);
  });
});
