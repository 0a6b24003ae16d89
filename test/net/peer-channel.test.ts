import { describe, expect, it } from 'vitest';
import { PeerChannel } from '../../src/net/peer-channel.ts';
import { pack } from '../../src/net/wire-codec.ts';
import { PROTOCOL_VERSION } from '../../src/protocol/messages.ts';
import { decodeFromWorker, ProtocolError } from '../../src/protocol/validate.ts';

/** The part of an RTCDataChannel a PeerChannel uses: an open channel that records what is sent. */
class FakeDataChannel extends EventTarget {
  readyState: RTCDataChannelState = 'open';
  binaryType = 'arraybuffer';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  onmessage: unknown = null;
  sent: ArrayBuffer[] = [];
  send(chunk: Uint8Array): void {
    this.sent.push(chunk.slice().buffer);
  }
  close(): void {
    this.readyState = 'closed';
    this.dispatchEvent(new Event('close'));
  }
  deliver(chunk: ArrayBuffer | string): void {
    this.dispatchEvent(new MessageEvent('message', { data: chunk }));
  }
}

const CHUNK = 64;

/** A sender and a receiver; the test moves chunks between them, in order or not. */
function pair() {
  const out = new FakeDataChannel();
  const into = new FakeDataChannel();
  const received: unknown[] = [];
  const invalid: string[] = [];
  let activity = 0;
  const sender = new PeerChannel(out as unknown as RTCDataChannel, { message: () => undefined, invalid: () => undefined, closed: () => undefined }, { chunkBytes: CHUNK, maxMessageBytes: 4096 });
  new PeerChannel(
    into as unknown as RTCDataChannel,
    { message: (value) => received.push(value), invalid: (reason) => invalid.push(reason), activity: () => activity++, closed: () => undefined },
    { chunkBytes: CHUNK, maxMessageBytes: 4096 },
  );
  /** The chunks of one message, as the sender cut them. */
  const chunksOf = (value: unknown): ArrayBuffer[] => {
    out.sent = [];
    sender.send(value);
    return out.sent;
  };
  return { into, received, invalid, chunksOf, activity: () => activity };
}

/** A copy of `chunk` with one u32 header field changed: 0 id, 1 index, 2 count, 3 total bytes. */
function withHeader(chunk: ArrayBuffer, field: number, value: number): ArrayBuffer {
  const copy = chunk.slice(0);
  new DataView(copy).setUint32(field * 4, value);
  return copy;
}

const big = { data: Array.from({ length: 100 }, (_, i) => i), label: 'x'.repeat(200) };

describe('PeerChannel reassembly', () => {
  it('reassembles a message cut into many chunks, and counts each chunk as a sign of life', () => {
    const { into, received, invalid, chunksOf, activity } = pair();
    const chunks = chunksOf(big);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) into.deliver(chunk);
    expect(received).toEqual([big]);
    expect(invalid).toEqual([]);
    expect(activity()).toBe(chunks.length);
  });

  it('drops a message whose chunks come out of order, then takes the next one', () => {
    const { into, received, invalid, chunksOf } = pair();
    const chunks = chunksOf(big);
    const [first, second, ...rest] = chunks as [ArrayBuffer, ArrayBuffer, ...ArrayBuffer[]];
    for (const chunk of [first, ...rest, second]) into.deliver(chunk);
    expect(received).toEqual([]);
    expect(invalid[0]).toMatch(/out of order/);
    for (const chunk of chunksOf('after')) into.deliver(chunk);
    expect(received).toEqual(['after']);
  });

  it('drops a message cut short by the next one', () => {
    const { into, received, invalid, chunksOf } = pair();
    const chunks = chunksOf(big);
    for (const chunk of chunks.slice(0, 2)) into.deliver(chunk);
    for (const chunk of chunksOf('next')) into.deliver(chunk);
    expect(invalid).toEqual(['a message was cut off by the next one']);
    expect(received).toEqual(['next']);
  });

  it('drops a message longer than it announced', () => {
    const { into, received, invalid, chunksOf } = pair();
    const chunks = chunksOf(big);
    const total = new DataView(chunks[0] as ArrayBuffer).getUint32(12);
    // Announces fewer bytes than its chunks carry (but still as many chunks).
    for (const chunk of chunks) into.deliver(withHeader(chunk, 3, total - CHUNK));
    expect(received).toEqual([]);
    expect(invalid).toEqual(['a message is longer than it said']);
    for (const chunk of chunksOf(1)) into.deliver(chunk);
    expect(received).toEqual([1]);
  });

  it('drops a message shorter than it announced', () => {
    const { into, received, invalid, chunksOf } = pair();
    const chunks = chunksOf(big);
    const total = new DataView(chunks[0] as ArrayBuffer).getUint32(12);
    for (const chunk of chunks) into.deliver(withHeader(chunk, 3, total + 10));
    expect(received).toEqual([]);
    expect(invalid).toEqual(['a message is shorter than it said']);
  });

  it('drops a message over the size limit without allocating it, and skips its other chunks quietly', () => {
    const { into, received, invalid, chunksOf } = pair();
    const chunks = chunksOf(big);
    for (const chunk of chunks) into.deliver(withHeader(chunk, 3, 2 ** 31));
    expect(invalid).toEqual([`a message of ${2 ** 31} bytes is over the 4096-byte limit`]);
    expect(received).toEqual([]);
    for (const chunk of chunksOf('fine')) into.deliver(chunk);
    expect(received).toEqual(['fine']);
  });

  it('drops chunks with an inconsistent header, or that are not binary', () => {
    const { into, received, invalid, chunksOf } = pair();
    into.deliver(withHeader(chunksOf('a')[0] as ArrayBuffer, 2, 0));
    into.deliver('text');
    into.deliver(new ArrayBuffer(3));
    expect(invalid).toEqual(['a chunk header is inconsistent', 'a chunk that is not binary or too short', 'a chunk that is not binary or too short']);
    expect(received).toEqual([]);
  });

  it('drops a whole message that is not a raybox frame (another codec version)', () => {
    const { into, received, invalid, chunksOf } = pair();
    const [chunk] = chunksOf('hello') as [ArrayBuffer];
    const copy = new Uint8Array(chunk.slice(0));
    copy[16] = 0x00; // the frame's magic "RBX1" is what a codec version change alters
    into.deliver(copy.buffer);
    expect(invalid[0]).toMatch(/could not be decoded: WireDecodeError: not a raybox frame/);
    expect(received).toEqual([]);
  });

  it('delivers an envelope of another worker protocol version, which its validation refuses', () => {
    const { into, received, chunksOf } = pair();
    for (const chunk of chunksOf([PROTOCOL_VERSION + 1, [{ type: 'closing' }]])) into.deliver(chunk);
    expect(() => decodeFromWorker(received[0])).toThrow(ProtocolError);
    expect(() => decodeFromWorker(received[0])).toThrow(/reload the page/);
  });

  it('sends a frame of any size as whole chunks with consistent headers', () => {
    const { chunksOf } = pair();
    const frame = pack(big);
    const chunks = chunksOf(big);
    expect(chunks.length).toBe(Math.ceil(frame.byteLength / CHUNK));
    chunks.forEach((chunk, index) => {
      const view = new DataView(chunk);
      expect([view.getUint32(4), view.getUint32(8), view.getUint32(12)]).toEqual([index, chunks.length, frame.byteLength]);
    });
  });
});
