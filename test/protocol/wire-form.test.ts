import { describe, expect, it } from 'vitest';
import type { FromWorker, ToWorker } from '../../src/protocol/messages.ts';
import { PROTOCOL_VERSION } from '../../src/protocol/messages.ts';
import { decodeFromWorker, decodeToWorker, ProtocolError } from '../../src/protocol/validate.ts';
import { envelopeOf, itemsOf, pack, unpack } from '../../src/protocol/wire-form.ts';
import { validFromWorker, validToWorker } from './messages.fixtures.ts';

const run: ToWorker = { type: 'run', taskId: 't1', name: 'f', fnId: 'fn', args: [1, 'two'] };
const bareRun: ToWorker = { type: 'run', taskId: 't3', name: 'g', fnId: 'fn2', args: [] };
const call: ToWorker = { type: 'callActor', taskId: 't2', name: 'A.m', method: 'm', args: [] };
const done: FromWorker = { type: 'done', taskId: 't1', values: [3], sizes: [8], start: 1, end: 2 };
const doneTwo: FromWorker = { type: 'done', taskId: 't4', values: [undefined, { a: [1] }], sizes: [0, 16], start: 1, end: 2 };

describe('wire form', () => {
  it('packs a plain run, actor call and done as tuples, and unpacks them to the same items', () => {
    expect(pack(bareRun)).toEqual(['run', 't3', 'g', 'fn2']);
    expect(pack(done)).toEqual(['done1', 't1', 3, 8, 1, 2]);
    for (const item of [run, bareRun, call, done, doneTwo]) {
      const packed = pack(item);
      expect(Array.isArray(packed)).toBe(true);
      expect(unpack(structuredClone(packed))).toEqual(item);
    }
  });

  it('leaves an item with an optional field set, or of another type, as it is', () => {
    const withExtras: unknown[] = [
      { ...run, source: '() => 1' },
      { ...run, numReturns: 2 },
      { ...run, special: true },
      { ...call, streaming: true },
      { ...call, held: [{ index: 0, id: 'o' }] },
      { ...done, kept: [0] },
      { type: 'cancel', taskId: 't1' },
      7,
    ];
    for (const item of withExtras) expect(pack(item)).toBe(item);
  });

  it('carries every item of the protocol through a structured clone unchanged', () => {
    const travel = <T>(items: readonly T[]) => structuredClone(envelopeOf(items));
    expect(decodeFromWorker(travel(validFromWorker))).toEqual(validFromWorker);
    expect(decodeToWorker(travel(validToWorker))).toEqual(validToWorker);
    expect(decodeToWorker(travel([run, call]))).toEqual([run, call]);
  });

  it('sends a lone packed item flat in its envelope, and reads it back', () => {
    expect(envelopeOf([bareRun])).toEqual([PROTOCOL_VERSION, 'run', 't3', 'g', 'fn2']);
    expect(envelopeOf([{ type: 'cancel', taskId: 't1' }])).toEqual([PROTOCOL_VERSION, [{ type: 'cancel', taskId: 't1' }]]);
    for (const item of [run, bareRun, call, done, doneTwo]) expect(itemsOf(structuredClone(envelopeOf([item])))).toEqual([item]);
    expect(decodeFromWorker(structuredClone(envelopeOf([done])))).toEqual([done]);
  });

  it('refuses a tuple of the wrong shape, naming the field', () => {
    expect(() => decodeFromWorker([PROTOCOL_VERSION, [['done', 't1', 'not values', [8], 1, 2]]])).toThrow(/item "done", values: /);
    expect(() => decodeToWorker([PROTOCOL_VERSION, [['run', 't1', 'f']]])).toThrow(ProtocolError);
    expect(() => decodeToWorker([PROTOCOL_VERSION, [['nope', 1]]])).toThrow(ProtocolError);
    expect(() => decodeFromWorker([PROTOCOL_VERSION, 'done1', 't1', 3, 'eight', 1, 2])).toThrow(/item "done", sizes\.0: /);
    expect(() => decodeToWorker([PROTOCOL_VERSION, 'run', 't1', 'f', 'fn', 'not args'])).toThrow(/item "run", args: /);
  });
});
