import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../src/protocol/messages.ts';
import { checkFromWorkerItems, checkToWorkerItems, decodeFromWorker, decodeToWorker, ProtocolError } from '../../src/protocol/validate.ts';
import { validFromWorker, validToWorker } from './messages.fixtures.ts';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return (error as Error).message;
  }
  throw new Error('it was accepted');
}

const envelope = (items: unknown[]) => [PROTOCOL_VERSION, items];

describe('decodeFromWorker / decodeToWorker', () => {
  it('accepts every item type as the real sides send it, unchanged', () => {
    expect(decodeFromWorker(envelope(validFromWorker))).toEqual(validFromWorker);
    expect(decodeToWorker(envelope(validToWorker))).toEqual(validToWorker);
    expect(checkFromWorkerItems(validFromWorker)).toEqual(validFromWorker);
    expect(checkToWorkerItems(validToWorker)).toEqual(validToWorker);
  });

  it('keeps task data as it is: buffers and nested values are not copied', () => {
    const value = new Float32Array(4);
    const [put] = decodeFromWorker(envelope([{ type: 'put', objectId: 'o', value, size: 16, special: false }]));
    expect(put?.type === 'put' && put.value).toBe(value);
  });

  it('accepts an item with fields the protocol does not know, which nothing reads', () => {
    const [item] = decodeFromWorker(envelope([{ type: 'actorReady', actorId: 'a', extra: 'x' }]));
    expect(item).toMatchObject({ type: 'actorReady', actorId: 'a' });
  });

  it('refuses an envelope of another protocol version, saying to reload', () => {
    expect(refusal(() => decodeFromWorker([PROTOCOL_VERSION + 1, []]))).toMatch(new RegExp(`protocol version ${PROTOCOL_VERSION + 1} is not ${PROTOCOL_VERSION}: reload`));
    expect(refusal(() => decodeToWorker({ items: [] }))).toMatch(/protocol version undefined/);
    // Versions before 4 sent an object: its version is named too.
    expect(refusal(() => decodeFromWorker({ v: 3, items: [] }))).toMatch(new RegExp(`protocol version 3 is not ${PROTOCOL_VERSION}: reload`));
  });

  it('refuses what is not an envelope', () => {
    expect(refusal(() => decodeFromWorker(null))).toMatch(/not an object/);
    expect(refusal(() => decodeFromWorker([PROTOCOL_VERSION, 7]))).toMatch(/no items array/);
    // A string second is a lone packed item: one of no known kind is refused like any bad item.
    expect(refusal(() => decodeFromWorker([PROTOCOL_VERSION, 'x']))).toMatch(/Invalid type/);
  });

  it('names the item and the field at fault', () => {
    expect(refusal(() => checkFromWorkerItems([{ type: 'nope' }]))).toMatch(/item "nope"/);
    expect(refusal(() => checkFromWorkerItems([{ type: 'done', taskId: 't', values: [], sizes: ['8'], special: false, start: 1, end: 2 }]))).toMatch(/item "done", sizes\.0: /);
    expect(refusal(() => checkFromWorkerItems([{ type: 'log', taskId: null, level: 'shout', text: '', time: 1 }]))).toMatch(/level/);
    expect(refusal(() => checkToWorkerItems([{ type: 'reply', requestId: 1, ok: 'yes' }]))).toMatch(/ok/);
  });

  it('checks the fields it once let through: kept, handlers, held, the reply, the actor, the options', () => {
    const done = validFromWorker[1] as object;
    expect(refusal(() => checkFromWorkerItems([{ ...done, kept: ['0'] }]))).toMatch(/kept/);
    expect(refusal(() => checkFromWorkerItems([{ ...done, handlers: [1] }]))).toMatch(/handlers/);
    expect(refusal(() => checkToWorkerItems([{ ...(validToWorker[1] as object), held: [['0', 'o']] }]))).toMatch(/held/);
    expect(refusal(() => checkToWorkerItems([{ type: 'reply', requestId: 1, ok: false, error: 'boom' }]))).toMatch(/error/);
    expect(refusal(() => checkToWorkerItems([{ type: 'namedActor', name: 'n', actor: { actorId: 1 } }]))).toMatch(/actor/);
    const submit = validFromWorker[7] as object;
    expect(refusal(() => checkFromWorkerItems([{ ...submit, options: { numCpus: -1 } }]))).toMatch(/numCpus must be a number ≥ 0/);
    expect(refusal(() => checkFromWorkerItems([{ ...submit, options: { evil: true } }]))).toMatch(/unknown option 'evil'/);
    const call = validFromWorker[9] as object;
    expect(refusal(() => checkFromWorkerItems([{ ...call, options: { numCpus: 1 } }]))).toMatch(/unknown option 'numCpus'/);
  });

  it('refuses numbers that are no counts where counts are meant', () => {
    expect(refusal(() => checkFromWorkerItems([{ type: 'release', counts: [['o', -1]] }]))).toMatch(/counts/);
    expect(refusal(() => checkFromWorkerItems([{ type: 'get', requestId: 1.5, taskId: null, ids: [], timeout: null }]))).toMatch(/requestId/);
    expect(refusal(() => checkFromWorkerItems([{ type: 'started', taskId: 't', time: Number.NaN }]))).toMatch(/time/);
  });
});
