import { pack, unpack } from './wire-codec.ts';

/**
 * Whole messages over one reliable, ordered RTCDataChannel. Chromium refuses messages over
 * 256 KiB, so each packed message goes out in chunks; the sender waits while the channel's
 * buffer is full (backpressure), and the receiver bounds what it assembles, so a peer cannot make
 * it allocate without limit. Chunk layout: u32 message id | u32 index | u32 count | u32 total
 * bytes | payload.
 */

const CHUNK_HEADER = 16;

export interface PeerChannelOptions {
  /** Payload bytes per chunk. @default 64 KiB */
  chunkBytes?: number;
  /** Largest message accepted, assembled. @default 512 MiB */
  maxMessageBytes?: number;
  /** Pause sending while the channel buffers more than this. @default 8 MiB */
  highWaterBytes?: number;
}

export interface PeerChannelEvents {
  message(value: unknown, bytes: number): void;
  /** Any chunk arrived: a sign of life even while a large message is still coming in. */
  activity?(): void;
  /** A message was dropped: malformed, oversized or out of order. The channel goes on. */
  invalid(reason: string): void;
  closed(): void;
}

interface Assembly {
  id: number;
  count: number;
  next: number;
  bytes: Uint8Array;
  filled: number;
  /** An oversized or broken message whose remaining chunks are skipped. */
  discard: boolean;
}

export class PeerChannel {
  #channel: RTCDataChannel;
  #events: PeerChannelEvents;
  #chunkBytes: number;
  #maxMessageBytes: number;
  #highWater: number;
  #queue: Uint8Array[] = [];
  #sending = false;
  #nextId = 1;
  #assembly: Assembly | undefined;
  #closed = false;
  bytesSent = 0;
  bytesReceived = 0;

  constructor(channel: RTCDataChannel, events: PeerChannelEvents, options: PeerChannelOptions = {}) {
    this.#channel = channel;
    this.#events = events;
    this.#chunkBytes = options.chunkBytes ?? 64 * 1024;
    this.#maxMessageBytes = options.maxMessageBytes ?? 512 * 2 ** 20;
    this.#highWater = options.highWaterBytes ?? 8 * 2 ** 20;
    channel.binaryType = 'arraybuffer';
    // This channel's messages are ours alone: PeerJS's own handler would only decode them again.
    channel.onmessage = null;
    channel.bufferedAmountLowThreshold = Math.max(this.#chunkBytes, this.#highWater / 4);
    channel.addEventListener('message', (event: MessageEvent) => this.#receive(event.data));
    channel.addEventListener('close', () => this.#close());
    channel.addEventListener('error', () => this.#close());
  }

  /** Changes the largest message accepted from now on (a room raises it once a peer proved itself). */
  set maxMessageBytes(bytes: number) {
    this.#maxMessageBytes = bytes;
  }

  get open(): boolean {
    return !this.#closed && this.#channel.readyState === 'open';
  }

  /** Queues a value; it goes out after everything queued before it. */
  send(value: unknown): void {
    if (this.#closed) return;
    this.sendFrame(pack(value));
  }

  /** Queues an already packed frame (e.g. to measure the codec apart). */
  sendFrame(frame: Uint8Array): void {
    if (this.#closed) return;
    this.#queue.push(frame);
    if (!this.#sending) void this.#pump();
  }

  close(): void {
    if (this.#closed) return;
    this.#channel.close();
    this.#close();
  }

  async #pump(): Promise<void> {
    this.#sending = true;
    try {
      // A channel made a moment ago may still be connecting: what is queued waits for it.
      if (this.#channel.readyState === 'connecting') await this.#opened();
      while (this.#queue.length > 0 && !this.#closed) {
        const frame = this.#queue.shift() as Uint8Array;
        const id = this.#nextId++;
        const count = Math.max(1, Math.ceil(frame.byteLength / this.#chunkBytes));
        for (let index = 0; index < count; index++) {
          if (this.#channel.bufferedAmount > this.#highWater) await this.#drained();
          if (this.#closed || this.#channel.readyState !== 'open') return;
          const payload = frame.subarray(index * this.#chunkBytes, Math.min(frame.byteLength, (index + 1) * this.#chunkBytes));
          const chunk = new Uint8Array(CHUNK_HEADER + payload.byteLength);
          const view = new DataView(chunk.buffer);
          view.setUint32(0, id);
          view.setUint32(4, index);
          view.setUint32(8, count);
          view.setUint32(12, frame.byteLength);
          chunk.set(payload, CHUNK_HEADER);
          this.#channel.send(chunk);
          this.bytesSent += chunk.byteLength;
        }
      }
    } finally {
      this.#sending = false;
    }
  }

  #opened(): Promise<void> {
    return new Promise((resolve) => {
      this.#channel.addEventListener('open', () => resolve(), { once: true });
      this.#channel.addEventListener('close', () => resolve(), { once: true });
    });
  }

  #drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.#channel.removeEventListener('bufferedamountlow', done);
        this.#channel.removeEventListener('close', done);
        resolve();
      };
      this.#channel.addEventListener('bufferedamountlow', done);
      this.#channel.addEventListener('close', done);
    });
  }

  #receive(data: unknown): void {
    if (!(data instanceof ArrayBuffer) || data.byteLength < CHUNK_HEADER) {
      this.#events.invalid('a chunk that is not binary or too short');
      return;
    }
    this.bytesReceived += data.byteLength;
    this.#events.activity?.();
    const view = new DataView(data);
    const id = view.getUint32(0);
    const index = view.getUint32(4);
    const count = view.getUint32(8);
    const total = view.getUint32(12);
    const payload = new Uint8Array(data, CHUNK_HEADER);

    if (index === 0) {
      if (this.#assembly && !this.#assembly.discard) this.#events.invalid('a message was cut off by the next one');
      const tooBig = total > this.#maxMessageBytes;
      // Every chunk but an empty message's only one carries at least a byte.
      const inconsistent = count === 0 || count > total + 1 || payload.byteLength > total;
      if (tooBig || inconsistent) {
        this.#events.invalid(tooBig ? `a message of ${total} bytes is over the ${this.#maxMessageBytes}-byte limit` : 'a chunk header is inconsistent');
        this.#assembly = { id, count, next: 1, bytes: new Uint8Array(0), filled: 0, discard: true };
        if (count === 1) this.#assembly = undefined;
        return;
      }
      this.#assembly = { id, count, next: 0, bytes: new Uint8Array(total), filled: 0, discard: false };
    }
    const assembly = this.#assembly;
    if (!assembly || assembly.id !== id || assembly.next !== index) {
      if (!assembly?.discard) this.#events.invalid('a chunk arrived out of order');
      return;
    }
    assembly.next++;
    if (!assembly.discard) {
      if (assembly.filled + payload.byteLength > assembly.bytes.byteLength) {
        assembly.discard = true;
        this.#events.invalid('a message is longer than it said');
      } else {
        assembly.bytes.set(payload, assembly.filled);
        assembly.filled += payload.byteLength;
      }
    }
    if (assembly.next < assembly.count) return;
    this.#assembly = undefined;
    if (assembly.discard) return;
    if (assembly.filled !== assembly.bytes.byteLength) {
      this.#events.invalid('a message is shorter than it said');
      return;
    }
    let value: unknown;
    try {
      value = unpack(assembly.bytes);
    } catch (error) {
      this.#events.invalid(`a message could not be decoded: ${String(error)}`);
      return;
    }
    this.#events.message(value, assembly.bytes.byteLength);
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue = [];
    this.#events.closed();
  }
}
