import { describe, expect, it } from 'vitest';
import { ObjectRef } from '../../src/core/object-ref.ts';
import { encodeArgs, encodePayload, mergeHandlers } from '../../src/protocol/args-codec.ts';

describe('encodeArgs', () => {
  it('keeps plain arguments as they are, with no refs', () => {
    const obj = { a: 1 };
    expect(encodeArgs([1, 'x', obj], 'f')).toEqual({ values: [1, 'x', obj], refArgs: null, nestedRefs: [], special: false, handlers: undefined });
  });

  it('makes a top-level ref a dependency: its place holds null until dispatch', () => {
    const encoded = encodeArgs([1, new ObjectRef('dep'), 3], 'f');
    expect(encoded.values).toEqual([1, null, 3]);
    expect(encoded.refArgs).toEqual([null, 'dep', null]);
    expect(encoded.nestedRefs).toEqual([]);
  });

  it('lets a nested ref travel as a ref, and lists it', () => {
    const encoded = encodeArgs([{ inner: new ObjectRef('n1') }, [new ObjectRef('n2')]], 'f');
    expect(encoded.refArgs).toBeNull();
    expect(encoded.nestedRefs).toEqual(['n1', 'n2']);
    expect(encoded.special).toBe(true);
    expect(encoded.values).toEqual([{ inner: { $raybox: 'ref', id: 'n1' } }, [{ $raybox: 'ref', id: 'n2' }]]);
  });

  it('names the argument and task that cannot travel', () => {
    expect(() => encodeArgs([1, { cb: () => 0 }], 'train')).toThrow(/Argument 2 of 'train' at \.cb is a function/);
  });
});

describe('encodePayload', () => {
  it('sizes primitives without walking them', () => {
    expect(encodePayload('abc')).toEqual({ value: 'abc', special: false, handlers: undefined, size: 6, transfer: [] });
    expect(encodePayload(42).size).toBe(8);
  });

  it('encodes objects with their size and buffers', () => {
    const data = new Float32Array(1024);
    const encoded = encodePayload({ data }, { transfer: true });
    expect(encoded.size).toBeGreaterThanOrEqual(4096);
    expect(encoded.value).toEqual({ data });
  });
});

describe('mergeHandlers', () => {
  it('unites handler lists without repeats', () => {
    expect(mergeHandlers(undefined, undefined)).toBeUndefined();
    expect(mergeHandlers(['a'], undefined)).toEqual(['a']);
    expect(mergeHandlers(undefined, ['b'])).toEqual(['b']);
    expect(mergeHandlers(['a', 'b'], ['b', 'c'])).toEqual(['a', 'b', 'c']);
  });
});
