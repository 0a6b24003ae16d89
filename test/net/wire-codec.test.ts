import { describe, expect, it } from 'vitest';
import { pack, unpack, WireDecodeError } from '../../src/net/wire-codec.ts';

const roundTrip = (value: unknown) => unpack(pack(value));

describe('wire codec', () => {
  it('round-trips plain data, special numbers and tagged types', () => {
    const value = {
      a: 1,
      s: 'text',
      nested: [true, null, undefined, NaN, Infinity, -Infinity, -0, 12n],
      when: new Date(5),
      map: new Map<unknown, unknown>([['k', [1, 2]]]),
      set: new Set(['x']),
      error: Object.assign(new RangeError('far'), { stack: 'stack here' }),
    };
    const back = roundTrip(value) as typeof value;
    expect(back.a).toBe(1);
    expect(back.nested.slice(0, 3)).toEqual([true, null, undefined]);
    expect(back.nested[3]).toBeNaN();
    expect(back.nested.slice(4, 6)).toEqual([Infinity, -Infinity]);
    expect(Object.is(back.nested[6], -0)).toBe(true);
    expect(back.nested[7]).toBe(12n);
    expect(back.when.getTime()).toBe(5);
    expect(back.map.get('k')).toEqual([1, 2]);
    expect(back.set.has('x')).toBe(true);
    expect(back.error.name).toBe('RangeError');
    expect(back.error.stack).toBe('stack here');
  });

  it('lifts typed arrays and buffers into the binary section intact', () => {
    const f32 = Float32Array.from({ length: 1001 }, (_, i) => i / 3);
    const u8 = new Uint8Array([1, 2, 3]);
    const view = new Int16Array(new ArrayBuffer(64), 6, 5).fill(-7);
    const back = roundTrip({ f32, u8, view, raw: new Uint8Array([9, 8]).buffer, big: new BigInt64Array([5n]) }) as Record<string, unknown>;
    expect(back['f32']).toEqual(f32);
    expect(back['u8']).toEqual(u8);
    expect(back['view']).toEqual(new Int16Array(5).fill(-7));
    expect(new Uint8Array(back['raw'] as ArrayBuffer)).toEqual(new Uint8Array([9, 8]));
    expect(back['big']).toEqual(new BigInt64Array([5n]));
  });

  it('keeps a __proto__ key a plain property, on the fast and the tagged path', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "n": 1}') as Record<string, unknown>;
    for (const value of [hostile, { ...hostile, when: new Date(1) }]) {
      const back = unpack(pack(value)) as Record<string, unknown>;
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
      expect(back['polluted']).toBeUndefined();
      expect(Object.keys(back)).toContain('__proto__');
    }
  });

  it('refuses what cannot travel, and malformed frames', () => {
    expect(() => pack({ f: () => 1 })).toThrow(/function/);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => pack(cyclic)).toThrow(/cycle/);
    expect(() => unpack(new Uint8Array([1, 2, 3]))).toThrow(WireDecodeError);
    const frame = pack({ a: new Uint8Array(16) });
    expect(() => unpack(frame.subarray(0, frame.byteLength - 8))).toThrow(/out of bounds/);
    const garbage = pack('x');
    garbage[9] = 0xff;
    expect(() => unpack(garbage)).toThrow(WireDecodeError);
  });
});
