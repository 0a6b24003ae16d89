import { describe, expect, it } from 'vitest';
import { box, contains, createRng, describeSpace, discrete, sample } from '../../../src/rl/env/index.ts';

describe('discrete', () => {
  it('builds a Discrete space and rejects a bad n', () => {
    expect(discrete(3)).toEqual({ type: 'Discrete', n: 3 });
    expect(() => discrete(0)).toThrow(RangeError);
    expect(() => discrete(1.5)).toThrow(RangeError);
  });
});

describe('box', () => {
  it('repeats scalar bounds over the shape and rounds bounds to float32', () => {
    const space = box(-1, 1, [2, 3]);
    expect(space.shape).toEqual([2, 3]);
    expect(space.low).toHaveLength(6);
    expect(box([0.1], [0.2]).low[0]).toBe(Math.fround(0.1));
  });

  it('rejects mismatched lengths and inverted bounds', () => {
    expect(() => box([0, 0], [1, 1, 1])).toThrow(/high has 3 values/);
    expect(() => box([1], [0])).toThrow(/must not exceed/);
    expect(() => box(0, 1, [0])).toThrow(/positive integers/);
  });
});

describe('sample', () => {
  it('draws Discrete values in 0..n-1, each of them eventually', () => {
    const rng = createRng(0);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const value = sample(discrete(4), rng);
      expect(contains(discrete(4), value)).toBe(true);
      seen.add(value);
    }
    expect(seen).toEqual(new Set([0, 1, 2, 3]));
  });

  it('draws Box values inside the bounds, also where a bound is infinite', () => {
    const rng = createRng(1);
    const space = box([-1, -Infinity, 0, -Infinity], [1, Infinity, Infinity, 5]);
    for (let i = 0; i < 500; i++) {
      const value = sample(space, rng);
      expect(value).toBeInstanceOf(Float32Array);
      expect(value.every(Number.isFinite)).toBe(true);
      expect(contains(space, value)).toBe(true);
    }
  });

  it('is reproducible for a seed', () => {
    const space = box(-2, 2, [3]);
    expect(sample(space, createRng(9))).toEqual(sample(space, createRng(9)));
  });
});

describe('contains', () => {
  it('accepts only integers in range for Discrete', () => {
    const space = discrete(3);
    expect([0, 1, 2].every((v) => contains(space, v))).toBe(true);
    for (const bad of [-1, 3, 0.5, NaN, '1', null, undefined, [1]]) expect(contains(space, bad)).toBe(false);
  });

  it('checks length, bounds and NaN for Box', () => {
    const space = box([0, 0], [1, 1]);
    expect(contains(space, [0, 1])).toBe(true);
    expect(contains(space, new Float32Array([0.5, 0.5]))).toBe(true);
    expect(contains(space, new Float64Array([0.5, 0.5]))).toBe(true);
    expect(contains(space, [0.5])).toBe(false);
    expect(contains(space, [0.5, 1.5])).toBe(false);
    expect(contains(space, [NaN, 0])).toBe(false);
    expect(contains(space, ['0', 0])).toBe(false);
    expect(contains(space, 0.5)).toBe(false);
  });
});

describe('describeSpace', () => {
  it('names the space for error messages', () => {
    expect(describeSpace(discrete(2))).toBe('Discrete(2)');
    expect(describeSpace(box(0, 1, [2]))).toBe('Box(low=[0, 0], high=[1, 1], shape=[2])');
  });
});
