import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { fromWorkerSchema, toWorkerSchema } from '../../src/protocol/messages.ts';
import { guardOf } from '../../src/protocol/schema-guard.ts';
import { validFromWorker, validToWorker } from './messages.fixtures.ts';

const fromWorker = guardOf(fromWorkerSchema);
const toWorker = guardOf(toWorkerSchema);

describe('guardOf', () => {
  it('understands every schema of the worker protocol: the real messages take the fast path', () => {
    for (const item of validFromWorker) expect(fromWorker(item)).toBe(true);
    for (const item of validToWorker) expect(toWorker(item)).toBe(true);
  });

  it('never accepts what the schema refuses (random and mutated messages)', () => {
    const mutated = fc
      .tuple(fc.constantFrom(...validFromWorker, ...validToWorker), fc.string({ maxLength: 12 }), fc.anything())
      .map(([item, key, value]) => ({ ...(item as object), [key in item ? key : Object.keys(item)[key.length % Object.keys(item).length] ?? 'type']: value }));
    fc.assert(
      fc.property(fc.oneof(mutated, fc.anything()), (value) => {
        if (fromWorker(value)) expect(v.is(fromWorkerSchema, value)).toBe(true);
        if (toWorker(value)) expect(v.is(toWorkerSchema, value)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what it does not understand, leaving the answer to the schema', () => {
    const guard = guardOf(v.pipe(v.string(), v.email()));
    expect(guard('a@b.c')).toBe(false);
    expect(guardOf(v.date())(new Date())).toBe(false);
    expect(guardOf(v.pipe(v.string(), v.transform((s) => s.length)))('abc')).toBe(false);
  });

  it('passes a readonly list, which the parse returns unchanged', () => {
    const guard = guardOf(v.pipe(v.array(v.string()), v.readonly()));
    expect(guard(['a', 'b'])).toBe(true);
    expect(guard(['a', 1])).toBe(false);
  });

  it('checks counts, lengths and literals as the schema does', () => {
    const guard = guardOf(v.object({ n: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(3)), s: v.pipe(v.string(), v.maxLength(2)), t: v.literal('x') }));
    expect(guard({ n: 3, s: 'ab', t: 'x' })).toBe(true);
    for (const bad of [{ n: 4, s: 'ab', t: 'x' }, { n: 1.5, s: 'ab', t: 'x' }, { n: -1, s: '', t: 'x' }, { n: 1, s: 'abc', t: 'x' }, { n: 1, s: '', t: 'y' }, { n: Number.NaN, s: '', t: 'x' }, { s: '', t: 'x' }]) {
      expect(guard(bad)).toBe(false);
    }
  });
});
