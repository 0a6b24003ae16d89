/** Gradient compression on the wire: float16 conversions and top-k with error feedback. */
import { describe, expect, it } from 'vitest';
import { float16Bits, encodeFloat16, decodeFloat16 } from '../../src/train/float16.ts';
import { decodeLeaf, encodeResult, GradientEncoder, wireBytes } from '../../src/train/wire-leaves.ts';

describe('float16', () => {
  it('converts exactly where binary16 can, rounding to nearest even elsewhere', () => {
    const { toHalfBits, fromHalfBits } = float16Bits;
    for (const v of [0, 1, -2, 0.5, 65504, 2 ** -24, -(2 ** -14), 1 + 2 ** -10]) expect(fromHalfBits(toHalfBits(v))).toBe(v);
    expect(toHalfBits(1 + 2 ** -11)).toBe(toHalfBits(1)); // a tie rounds to even
    expect(fromHalfBits(toHalfBits(1 + 3 * 2 ** -11))).toBe(1 + 2 * 2 ** -10);
    expect(fromHalfBits(toHalfBits(1e6))).toBe(Infinity);
    expect(Number.isNaN(fromHalfBits(toHalfBits(NaN)))).toBe(true);
    expect(fromHalfBits(toHalfBits(2 ** -26))).toBe(0);
  });

  it('round-trips arrays within float16 precision', () => {
    const values = Float32Array.from({ length: 100 }, (_, i) => Math.sin(i) * 10);
    const back = decodeFloat16(encodeFloat16(values));
    values.forEach((v, i) => expect(Math.abs(back[i]! - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 1e-7));
  });
});

describe('top-k with error feedback', () => {
  it('sends the largest entries and adds what it kept back to the next step', () => {
    const encoder = new GradientEncoder({ topK: 0.25 });
    const [first] = encoder.encode([new Float32Array([0.1, -5, 0.2, 3, 0.3, 0.05, -0.4, 1])]);
    expect(first).toMatchObject({ kind: 'sparse', length: 8 });
    expect(Array.from(decodeLeaf(first!))).toEqual([0, -5, 0, 3, 0, 0, 0, 0]);
    // Next step's gradient is small; the residual of step one decides what goes.
    const [second] = encoder.encode([new Float32Array([0.1, 0, 0, 0, 0, 0, 0.1, 0.1])]);
    // Kept: [0.1, 0, 0.2, 0, 0.3, 0.05, -0.4, 1]; plus the new gradient, the two largest are 1.1 and 0.3.
    expect(Array.from(decodeLeaf(second!), (v) => Math.round(v * 100) / 100)).toEqual([0, 0, 0, 0, 0.3, 0, 0, 1.1]);
    expect(wireBytes([second!])).toBe(2 * 4 + 2 * 4);
  });

  it('sends a mostly-zero result sparse, and a dense one dense', () => {
    const sparse = encodeResult([new Float32Array([0, 0, 0, 2])], { topK: 0.1 });
    expect(sparse[0]!.kind).toBe('sparse');
    expect(Array.from(decodeLeaf(sparse[0]!))).toEqual([0, 0, 0, 2]);
    expect(encodeResult([new Float32Array([1, 2, 0, 2])], { topK: 0.1 })[0]!.kind).toBe('dense');
  });
});
