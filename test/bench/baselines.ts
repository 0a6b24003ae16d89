import * as Comlink from 'comlink';
import { measure, nextTask, timeMs, type Measurement, type MeasureOptions } from './measure.ts';
import type { EchoApi } from './raw-comlink.worker.ts';

/**
 * The platform's own limits, measured in the same page as raybox's figures: what a bare module
 * worker and postMessage (and Comlink over it) can do here. A scheduler on top of postMessage
 * cannot beat these.
 */

/** A timing over a few repetitions. */
export interface Timing {
  unit: 'ms';
  median: number;
  runs: number[];
}

/** A rate derived from a median timing. */
export interface Rate {
  unit: 'GB/s';
  /** 1 GB = 1e9 bytes. */
  value: number;
}

/** The two message rates that bound raybox's task and actor-call rates. */
export interface MessageRates {
  /** One number to the worker and back, awaited each time: round trips/s. */
  pingPong: Measurement;
  /** Batches of 1000 numbers posted at once, each echoed: messages/s. */
  pipelinedPostMessage: Measurement;
}

export interface Baselines extends MessageRates {
  /** Batches of 1000 Comlink calls in flight at once: calls/s. */
  comlinkPipelined: Measurement;
  /** A 64 MiB ArrayBuffer transferred to the worker and transferred back. */
  transfer64MiB: { bytes: number; roundTrip: Timing; rate: Rate };
  /** A 64 MiB ArrayBuffer cloned into the worker (posted without transfer), transferred back. */
  clone64MiB: { bytes: number; postMessage: Timing; structuredClone: Timing; rate: Rate };
  /** `Float32Array.prototype.slice` of 256 MiB in the page: the memcpy-like bound of put(). */
  slice256MiB: { bytes: number; time: Timing; rate: Rate };
}

const MiB = 2 ** 20;
const BATCH = 1000;

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** The raw echo worker, with a promise per awaited reply count. */
export class EchoWorker {
  readonly #worker = new Worker(new URL('./raw-echo.worker.ts', import.meta.url), { type: 'module' });
  #waiting: { remaining: number; resolve: (last: unknown) => void } | undefined;

  constructor() {
    this.#worker.onmessage = (event: MessageEvent<unknown>) => {
      const waiting = this.#waiting;
      if (waiting && --waiting.remaining === 0) {
        this.#waiting = undefined;
        waiting.resolve(event.data);
      }
    };
  }

  /** Posts each message, then resolves with the last of as many replies. */
  send(messages: number, post: (worker: Worker) => void): Promise<unknown> {
    const replies = new Promise<unknown>((resolve) => {
      this.#waiting = { remaining: messages, resolve };
    });
    post(this.#worker);
    return replies;
  }

  pingPong(): Promise<unknown> {
    return this.send(1, (w) => w.postMessage(0));
  }

  pipelined(count: number): Promise<unknown> {
    return this.send(count, (w) => {
      for (let i = 0; i < count; i++) w.postMessage(i);
    });
  }

  async roundTrip(buffer: ArrayBuffer, transfer: boolean): Promise<ArrayBuffer> {
    const back = await this.send(1, (w) => w.postMessage(buffer, transfer ? [buffer] : []));
    if (!(back instanceof ArrayBuffer)) throw new Error('raw echo worker: expected an ArrayBuffer back');
    return back;
  }

  terminate(): void {
    this.#worker.terminate();
  }
}

function rate(bytes: number, ms: number): Rate {
  return { unit: 'GB/s', value: bytes / 1e9 / (ms / 1000) };
}

async function messageRates(echo: EchoWorker, protocol: MeasureOptions): Promise<MessageRates> {
  return {
    pingPong: await measure(() => echo.pingPong(), protocol),
    pipelinedPostMessage: await measure(() => echo.pipelined(BATCH), { ...protocol, multiplier: BATCH }),
  };
}

/**
 * Ping-pong and pipelined rates alone, on a fresh echo worker. Measured again after raybox's
 * benchmarks: on a shared 2-core machine one measurement can land in a busy moment.
 */
export async function measureMessageRates(protocol: MeasureOptions = {}): Promise<MessageRates> {
  const echo = new EchoWorker();
  try {
    return await messageRates(echo, protocol);
  } finally {
    echo.terminate();
  }
}

/** Measures every baseline; `protocol` shortens the timeit protocol for smoke runs. */
export async function measureBaselines(protocol: MeasureOptions = {}): Promise<Baselines> {
  const echo = new EchoWorker();
  const comlinkWorker = new Worker(new URL('./raw-comlink.worker.ts', import.meta.url), { type: 'module' });
  const api = Comlink.wrap<EchoApi>(comlinkWorker);
  try {
    const { pingPong, pipelinedPostMessage } = await messageRates(echo, protocol);
    const comlinkPipelined = await measure(
      () => Promise.all(Array.from({ length: BATCH }, (_, i) => api.echo(i))),
      { ...protocol, multiplier: BATCH },
    );

    const bytes64 = 64 * MiB;
    let buffer = new ArrayBuffer(bytes64);
    const transferTiming = await timeMs(async () => {
      buffer = await echo.roundTrip(buffer, true);
    }, { repeats: 7 });
    // The reply is the worker's copy, transferred back: the time is one clone plus one transfer.
    const cloneTiming = await timeMs(() => echo.roundTrip(buffer, false), { repeats: 7, after: collectGarbage });
    const localClone = await timeMs(() => structuredClone(buffer), { repeats: 5, after: collectGarbage });

    const bytes256 = 256 * MiB;
    const big = new Float32Array(bytes256 / 4);
    await nextTask();
    const sliceTiming = await timeMs(() => big.slice(), { repeats: 15, after: collectGarbage });

    return {
      pingPong,
      pipelinedPostMessage,
      comlinkPipelined,
      transfer64MiB: { bytes: bytes64, roundTrip: { unit: 'ms', ...transferTiming }, rate: rate(2 * bytes64, transferTiming.median) },
      clone64MiB: {
        bytes: bytes64,
        postMessage: { unit: 'ms', ...cloneTiming },
        structuredClone: { unit: 'ms', ...localClone },
        rate: rate(bytes64, cloneTiming.median),
      },
      slice256MiB: { bytes: bytes256, time: { unit: 'ms', ...sliceTiming }, rate: rate(bytes256, sliceTiming.median) },
    };
  } finally {
    api[Comlink.releaseProxy]();
    comlinkWorker.terminate();
    echo.terminate();
  }
}
