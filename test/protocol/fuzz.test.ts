/**
 * Property-based: what a hostile or broken peer can send, at every place it enters the head, is
 * either accepted as a well-formed message or refused with a reason. Nothing else escapes (no
 * TypeError from a field read blindly), and the entry point goes on working afterwards.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RayboxError } from '../../src/core/errors.ts';
import { PeerChannel } from '../../src/net/peer-channel.ts';
import { checkJoinerToHead, checkSandboxToHead, ROOM_PROTOCOL_VERSION } from '../../src/net/room-messages.ts';
import { pack, unpack } from '../../src/net/wire-codec.ts';
import { PROTOCOL_VERSION } from '../../src/protocol/messages.ts';
import { checkFromWorkerItems, decodeFromWorker, ProtocolError } from '../../src/protocol/validate.ts';
import { decodeValue } from '../../src/protocol/value-codec.ts';
import { validFromWorker } from './messages.fixtures.ts';

const RUNS = 300;

const validJoinerToHead: unknown[] = [
  { type: 'hello', v: ROOM_PROTOCOL_VERSION, proof: null, numWorkers: 2, label: 'laptop', gpus: 0, backend: 'wasm' },
  { type: 'rtc', signal: { description: { type: 'answer', sdp: 'v=0' } } },
  { type: 'rtc', signal: { candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 } } },
  { type: 'pong', t: 5 },
  { type: 'leaving', reason: 'bye' },
];

const validSandboxToHead: unknown[] = [
  { type: 'spawned', workerId: 'w1', backend: null },
  { type: 'died', workerId: 'w1', reason: 'crashed' },
  { type: 'object', objectId: 'o1', found: true, value: [1, 2], special: false, handlers: null, size: 16 },
  { type: 'alive' },
];

/** A JSON-like copy of `value` with the node at a chosen path replaced, or its key removed. */
function mutate(value: unknown, choice: number, replacement: unknown, remove: boolean): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  const paths: [Record<string, unknown>, string][] = [];
  const walk = (node: unknown, depth: number) => {
    if (typeof node !== 'object' || node === null || depth > 6 || ArrayBuffer.isView(node)) return;
    for (const key of Object.keys(node)) {
      paths.push([node as Record<string, unknown>, key]);
      walk((node as Record<string, unknown>)[key], depth + 1);
    }
  };
  walk(copy, 0);
  const picked = paths[choice % Math.max(1, paths.length)];
  if (!picked) return replacement;
  const [parent, key] = picked;
  if (remove) delete parent[key];
  else parent[key] = replacement;
  return copy;
}

/** Valid messages, mutated one node at a time, and anything at all. */
function hostile(valid: unknown[]): fc.Arbitrary<unknown> {
  const mutated = fc
    .tuple(fc.constantFrom(...valid), fc.nat(), fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }), fc.boolean())
    .map(([message, choice, replacement, remove]) => mutate(message, choice, replacement, remove));
  return fc.oneof(mutated, fc.anything({ withNullPrototype: true }), fc.constantFrom(...valid));
}

/** A check either accepts (and then its output passes again) or refuses with a reason. */
function acceptsOrExplains(check: (value: unknown) => { ok: true; message: unknown } | { ok: false; reason: string }, value: unknown): void {
  const checked = check(value);
  if (checked.ok) expect(check(checked.message).ok).toBe(true);
  else expect(checked.reason.length).toBeGreaterThan(0);
}

// Generous bounds: a busy machine runs the same cases more slowly, never differently.
describe('fuzzing what enters the head', { timeout: 120_000 }, () => {
  it("the control channel's check (joiner → head) accepts or explains anything", () => {
    fc.assert(fc.property(hostile(validJoinerToHead), (value) => acceptsOrExplains(checkJoinerToHead, value)), { numRuns: RUNS });
    for (const message of validJoinerToHead) expect(checkJoinerToHead(message).ok).toBe(true);
  });

  it("the node channel's check (sandbox → head) accepts or explains anything", () => {
    fc.assert(fc.property(hostile(validSandboxToHead), (value) => acceptsOrExplains(checkSandboxToHead, value)), { numRuns: RUNS });
    for (const message of validSandboxToHead) expect(checkSandboxToHead(message).ok).toBe(true);
  });

  it("a worker channel's envelopes (worker → head) are decoded or refused with a ProtocolError", () => {
    const envelope = fc.oneof(
      hostile(validFromWorker).map((item) => [PROTOCOL_VERSION, [item]]),
      hostile([[PROTOCOL_VERSION, validFromWorker.slice(0, 3)]]),
    );
    fc.assert(
      fc.property(envelope, (data) => {
        try {
          const items = decodeFromWorker(data);
          expect(checkFromWorkerItems(items)).toEqual(items);
        } catch (error) {
          expect(error).toBeInstanceOf(ProtocolError);
          expect((error as Error).message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: RUNS },
    );
    expect(decodeFromWorker([PROTOCOL_VERSION, validFromWorker])).toHaveLength(validFromWorker.length);
  });

  it('values with markers are revived or refused with a typed error', () => {
    const markers = [{ $raybox: 'ref', id: 'o1' }, { $raybox: 'actor', actor: { actorId: 'a', className: 'A', methods: [], streamingMethods: [] } }, [{ $raybox: 'ref', id: 'o2' }]];
    const context = { reviveActor: (descriptor: unknown) => descriptor };
    fc.assert(
      fc.property(hostile(markers), (value) => {
        try {
          decodeValue(value, context);
        } catch (error) {
          expect(error).toBeInstanceOf(RayboxError);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('frames are unpacked or refused with a WireDecodeError, whatever their bytes', () => {
    const frames = fc.oneof(
      fc.uint8Array({ maxLength: 256 }),
      fc.tuple(fc.constantFrom(...validSandboxToHead, ...validFromWorker.slice(0, 4)), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([message, at, byte]) => {
        const frame = pack(message).slice();
        frame[at % frame.byteLength] = byte;
        return frame;
      }),
      fc.string().map((text) => pack({ [`\u0001`]: text, v: [text] })),
    );
    fc.assert(
      fc.property(frames, (frame) => {
        try {
          unpack(frame);
        } catch (error) {
          expect(error).toBeInstanceOf(RayboxError);
          expect((error as Error).name).toBe('WireDecodeError');
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a PeerChannel fed random and mutated chunks reports each as invalid, and then still delivers', () => {
    const channel = Object.assign(new EventTarget(), { readyState: 'open', binaryType: 'arraybuffer', bufferedAmount: 0, bufferedAmountLowThreshold: 0, onmessage: null, send: () => undefined, close: () => undefined });
    const received: unknown[] = [];
    const invalid: string[] = [];
    new PeerChannel(channel as unknown as RTCDataChannel, { message: (value) => received.push(value), invalid: (reason) => invalid.push(reason), closed: () => undefined }, { maxMessageBytes: 1 << 16 });
    const deliver = (data: unknown) => channel.dispatchEvent(new MessageEvent('message', { data }));
    const chunkOf = (message: unknown): Uint8Array => {
      const frame = pack(message);
      const chunk = new Uint8Array(16 + frame.byteLength);
      const view = new DataView(chunk.buffer);
      view.setUint32(0, 7);
      view.setUint32(4, 0);
      view.setUint32(8, 1);
      view.setUint32(12, frame.byteLength);
      chunk.set(frame, 16);
      return chunk;
    };
    const chunks = fc.oneof(
      fc.uint8Array({ maxLength: 128 }).map((bytes) => bytes.slice().buffer),
      fc.tuple(fc.constantFrom(...validJoinerToHead), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([message, at, byte]) => {
        const chunk = chunkOf(message);
        chunk[at % chunk.byteLength] = byte;
        return chunk.buffer;
      }),
      fc.anything(),
    );
    fc.assert(
      fc.property(chunks, (data) => {
        const before = received.length + invalid.length;
        deliver(data);
        // A chunk either completes a message, is refused with a reason, or waits for the rest of its message.
        expect(received.length + invalid.length).toBeGreaterThanOrEqual(before);
        for (const reason of invalid) expect(reason.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
    expect(invalid.length).toBeGreaterThan(0);
    const count = received.length;
    deliver(chunkOf({ type: 'pong', t: 1 }).buffer);
    expect(received.length).toBe(count + 1);
    expect(received.at(-1)).toEqual({ type: 'pong', t: 1 });
  });
});
