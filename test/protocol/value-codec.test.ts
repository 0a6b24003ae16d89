import { describe, expect, it } from 'vitest';
import { actorDescriptorKey, type ActorDescriptor } from '../../src/core/actor-handle-tag.ts';
import { RayboxUsageError } from '../../src/core/errors.ts';
import { ObjectRef } from '../../src/core/object-ref.ts';
import { ProtocolError } from '../../src/protocol/validate.ts';
import { decodeValue, encodeValue, type DecodeContext } from '../../src/protocol/value-codec.ts';
import { registerValueHandler } from '../../src/protocol/value-handler.ts';

/** What a realm gives the decoder: here, handles come back as their descriptors. */
const context: DecodeContext = { reviveActor: (descriptor) => ({ revived: descriptor }) };

/** Encoded on one side, through structured clone as postMessage does, decoded on the other. */
function roundTrip(value: unknown): { back: unknown; special: boolean; refs: string[] } {
  const refs: string[] = [];
  const encoded = encodeValue(value, { onRef: (id) => refs.push(id) });
  return { back: decodeValue(structuredClone(encoded.value), context), special: encoded.special, refs };
}

const descriptor: ActorDescriptor = { actorId: 'a1', className: 'Counter', methods: ['add'], streamingMethods: [] };
const handle = Object.assign(() => undefined, { [actorDescriptorKey]: descriptor });

describe('encodeValue / decodeValue', () => {
  it('passes plain data untouched and says there is nothing to revive', () => {
    const value = { a: [1, 'two', null, undefined, true], b: new Map([[1, 2]]), c: new Date(5) };
    const encoded = encodeValue(value);
    expect(encoded.value).toBe(value);
    expect(encoded.special).toBe(false);
    expect(roundTrip(value).back).toEqual(value);
  });

  it('turns refs anywhere into live refs, and reports each one it found', () => {
    const ref = new ObjectRef('obj-1');
    const { back, special, refs } = roundTrip({ list: [ref, { deeper: ref }] });
    expect(special).toBe(true);
    expect(refs).toEqual(['obj-1', 'obj-1']);
    const out = back as { list: [ObjectRef, { deeper: ObjectRef }] };
    expect(out.list[0]).toBeInstanceOf(ObjectRef);
    expect(out.list[0].id).toBe('obj-1');
    expect(out.list[1].deeper.id).toBe('obj-1');
  });

  it('copies only the containers on the path to a marker', () => {
    const untouched = { big: [1, 2, 3] };
    const value = { untouched, ref: new ObjectRef('x') };
    const encoded = encodeValue(value);
    expect(encoded.value).not.toBe(value);
    expect((encoded.value as typeof value).untouched).toBe(untouched);
    expect(value.ref).toBeInstanceOf(ObjectRef);
  });

  it('sends actor handles as descriptors the other realm revives', () => {
    const { back } = roundTrip([handle]);
    expect(back).toEqual([{ revived: descriptor }]);
  });

  it('carries registered values through their handler', () => {
    class Point {
      constructor(readonly x: number) {}
    }
    registerValueHandler<Point, number>({ name: 'test-point', canHandle: (v): v is Point => v instanceof Point, serialize: (p) => ({ data: p.x, transfer: [] }), deserialize: (x) => new Point(x) });
    const encoded = encodeValue({ p: new Point(3) });
    expect(encoded.handlers).toEqual(['test-point']);
    const back = decodeValue(structuredClone(encoded.value), context) as { p: Point };
    expect(back.p).toBeInstanceOf(Point);
    expect(back.p.x).toBe(3);
  });

  it('collects large buffers to transfer only when asked', () => {
    const big = new Float64Array(16 * 1024);
    expect(encodeValue({ big }, { transfer: true }).transfer).toEqual([big.buffer]);
    expect(encodeValue({ big }).transfer).toEqual([]);
    expect(encodeValue({ small: new Uint8Array(10) }, { transfer: true }).transfer).toEqual([]);
  });

  it('refuses what cannot travel, naming where it is', () => {
    expect(() => encodeValue({ f: () => 1 }, { label: "Argument 1 of 'g'" })).toThrow(RayboxUsageError);
    expect(() => encodeValue({ f: () => 1 }, { label: "Argument 1 of 'g'" })).toThrow(/Argument 1 of 'g' at \.f is a function/);
    expect(() => encodeValue([Symbol('s')])).toThrow(/\[0\] is a Symbol/);
    expect(() => encodeValue(Promise.resolve(1))).toThrow(/Await it first/);
  });

  it('refuses malformed markers from another realm with a ProtocolError', () => {
    const bad = [{ $raybox: 'ref', id: 5 }, { $raybox: 'actor', actor: 'x' }, { $raybox: 'nope' }, { $raybox: 1 }, { $raybox: 'value', handler: 3 }];
    for (const marker of bad) expect(() => decodeValue([marker], context)).toThrow(ProtocolError);
  });

  it('refuses a value of a handler this realm does not have, saying what to import', () => {
    expect(() => decodeValue({ $raybox: 'value', handler: 'unknown-kind', data: 1 }, context)).toThrow(/Import the module that registers it/);
  });
});
