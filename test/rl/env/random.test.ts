import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/rl/env/index.ts';

const draw = (seed: number, count: number): number[] => {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => rng.next());
};

describe('createRng', () => {
  it('gives the same sequence for the same seed and different ones for nearby seeds', () => {
    expect(draw(7, 20)).toEqual(draw(7, 20));
    expect(draw(7, 20)).not.toEqual(draw(8, 20));
    expect(draw(0, 20)).not.toEqual(draw(1, 20));
  });

  it('tells apart seeds that differ only above 2^32', () => {
    expect(draw(1, 5)).not.toEqual(draw(1 + 2 ** 32, 5));
  });

  it('draws next() in [0, 1) with a mean near one half', () => {
    const values = draw(3, 10_000);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });

  it('draws uniform(lo, hi) inside the range', () => {
    const rng = createRng(4);
    for (let i = 0; i < 1000; i++) {
      const v = rng.uniform(-0.05, 0.05);
      expect(v).toBeGreaterThanOrEqual(-0.05);
      expect(v).toBeLessThan(0.05);
    }
  });

  it('draws int(n) over all of 0..n-1 and rejects a bad n', () => {
    const rng = createRng(5);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[rng.int(3)]! += 1;
    expect(counts.every((c) => c > 800)).toBe(true);
    expect(() => rng.int(0)).toThrow(RangeError);
    expect(() => rng.int(2.5)).toThrow(RangeError);
  });

  it('rejects a seed that is not a safe integer', () => {
    expect(() => createRng(1.5)).toThrow(/safe integer/);
    expect(() => createRng(NaN)).toThrow(RangeError);
  });

  it('seeds itself when given no seed', () => {
    const value = createRng().next();
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThan(1);
  });
});
