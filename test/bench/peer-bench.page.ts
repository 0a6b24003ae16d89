/**
 * Room benchmarks, each beside its raw DataChannel baseline measured in the same run between the
 * same two pages: a task's round trip to a joiner against a raw ping-pong, and object transfer
 * throughput against raw chunked sends. One page is the head (`runPeerBench`), the other the
 * joiner, which also answers the raw baseline (`startRawEcho`).
 */
import { Peer, type DataConnection } from 'peerjs';
import * as raybox from '../../src/index.ts';
import { pageSignaling } from '../../src/runtime/rooms.ts';

const CHUNK = 64 * 1024;
const HIGH_WATER = 8 * 2 ** 20;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function newPeer(): Promise<Peer> {
  const { host, port, path, secure, config } = pageSignaling(undefined);
  const peer = new Peer({ host, port, path, secure, config, debug: 0 });
  return new Promise((resolve, reject) => {
    peer.once('open', () => resolve(peer));
    peer.once('error', reject);
  });
}

/** Joiner side of the baseline: answers 'ping' with 'pong', counts binary bytes, and says the count on 'end'. */
async function startRawEcho(): Promise<string> {
  const peer = await newPeer();
  peer.on('connection', (connection: DataConnection) => {
    connection.once('open', () => {
      const channel = connection.dataChannel;
      channel.binaryType = 'arraybuffer';
      let bytes = 0;
      channel.addEventListener('message', (event: MessageEvent) => {
        if (event.data === 'ping') channel.send('pong');
        else if (event.data === 'end') {
          channel.send(String(bytes));
          bytes = 0;
        } else if (event.data instanceof ArrayBuffer) bytes += event.data.byteLength;
      });
    });
  });
  return peer.id;
}

async function rawConnection(echoId: string): Promise<RTCDataChannel> {
  const peer = await newPeer();
  const connection = peer.connect(echoId, { reliable: true, serialization: 'raw' });
  await new Promise<void>((resolve) => connection.once('open', () => resolve()));
  const channel = connection.dataChannel;
  channel.binaryType = 'arraybuffer';
  channel.bufferedAmountLowThreshold = HIGH_WATER / 4;
  return channel;
}

function nextMessage(channel: RTCDataChannel): Promise<unknown> {
  return new Promise((resolve) => channel.addEventListener('message', (e: MessageEvent) => resolve(e.data), { once: true }));
}

/** One ping-pong on the raw channel, in ms. */
async function rawPingPong(channel: RTCDataChannel): Promise<number> {
  const start = performance.now();
  const reply = nextMessage(channel);
  channel.send('ping');
  await reply;
  return performance.now() - start;
}

/**
 * Round trips of both kinds, in alternating blocks after a warm-up of each: this machine's load
 * changes within seconds, and both figures should see the same load.
 */
async function interleavedRoundTrips(rounds: number, raw: () => Promise<number>, raybox: () => Promise<number>): Promise<{ raw: number[]; raybox: number[] }> {
  const block = 50;
  const times = { raw: [] as number[], raybox: [] as number[] };
  for (let i = 0; i < 20; i++) {
    await raw();
    await raybox();
  }
  for (let done = 0; done < rounds; done += block) {
    for (let i = 0; i < block; i++) times.raw.push(await raw());
    for (let i = 0; i < block; i++) times.raybox.push(await raybox());
  }
  return times;
}

/** Sends `bytes` in 64 KiB chunks with the same backpressure as raybox's channel; MiB/s until acknowledged. */
async function rawThroughputMiBs(channel: RTCDataChannel, bytes: number): Promise<number> {
  const chunk = new Uint8Array(CHUNK);
  const start = performance.now();
  for (let sent = 0; sent < bytes; sent += CHUNK) {
    if (channel.bufferedAmount > HIGH_WATER) {
      await new Promise<void>((resolve) => channel.addEventListener('bufferedamountlow', () => resolve(), { once: true }));
    }
    channel.send(chunk);
  }
  const ack = nextMessage(channel);
  channel.send('end');
  await ack;
  return bytes / 2 ** 20 / ((performance.now() - start) / 1000);
}

interface PeerBenchResult {
  rounds: number;
  bytes: number;
  raw: { pingPongMs: number; throughputMiBs: number[] };
  raybox: { taskRoundTripMs: number; headToJoinerMiBs: number[]; joinerToHeadMiBs: number[] };
}

/** Head side: measures raw and raybox figures against the joiner `joinerNodeId` (whose page runs the echo). */
async function runPeerBench(options: { echoId: string; joinerNodeId: string; rounds?: number; megabytes?: number; repeats?: number }): Promise<PeerBenchResult> {
  const rounds = options.rounds ?? 400;
  const bytes = (options.megabytes ?? 32) * 2 ** 20;
  const repeats = options.repeats ?? 3;
  const on = { schedulingStrategy: { nodeId: options.joinerNodeId, soft: false } } as const;

  const channel = await rawConnection(options.echoId);
  const zero = raybox.remote(() => 0).options(on);
  const roundTrips = await interleavedRoundTrips(rounds, () => rawPingPong(channel), async () => {
    const start = performance.now();
    await raybox.get(zero.remote());
    return performance.now() - start;
  });
  const rawThroughput: number[] = [];

  const length = raybox.remote((a: Float32Array) => a.length).options(on);
  const make = raybox.remote((n: number) => new Float32Array(n).fill(1)).options(on);
  const toJoiner: number[] = [];
  const toHead: number[] = [];
  // Each repeat measures the raw channel and both raybox directions back to back, under the same load.
  for (let i = 0; i < repeats; i++) {
    rawThroughput.push(await rawThroughputMiBs(channel, bytes));
    const ref = raybox.put(new Float32Array(bytes / 4).fill(i));
    let start = performance.now();
    await raybox.get(length.remote(ref));
    toJoiner.push(bytes / 2 ** 20 / ((performance.now() - start) / 1000));
    const made = make.remote(bytes / 4);
    await raybox.wait([made], { timeout: 60 }); // made and kept on the joiner
    start = performance.now();
    await raybox.get(made);
    toHead.push(bytes / 2 ** 20 / ((performance.now() - start) / 1000));
  }
  channel.close();
  return {
    rounds,
    bytes,
    raw: { pingPongMs: median(roundTrips.raw), throughputMiBs: rawThroughput },
    raybox: { taskRoundTripMs: median(roundTrips.raybox), headToJoinerMiBs: toJoiner, joinerToHeadMiBs: toHead },
  };
}

/**
 * Head side of the Train benchmark's room figure: `allreduce` (sum) of a `megabytes` buffer between
 * a training worker of this page and one of the joiner's (each alone on its browser, so their
 * leaders exchange over the room's DataChannels), against the raw DataChannel to the joiner's page
 * moving the same bytes there and back (twice a one-way send, acknowledged), in alternating rounds.
 */
async function runTrainRoomBench(options: { echoId: string; megabytes?: number; rounds?: number }): Promise<{ allreduceMs: number[]; rawRoundTripMs: number[]; ranksByNode: string[] }> {
  const megabytes = options.megabytes ?? 4;
  const rounds = options.rounds ?? 5;
  const bytes = megabytes * 2 ** 20;
  const channel = await rawConnection(options.echoId);
  const rawRoundTripMs: number[] = [];
  const allreduceMs: number[] = [];
  await rawThroughputMiBs(channel, bytes); // warm-up
  const train = raybox.train;
  const loop = async (config: Record<string, unknown>) => {
    const buffer = new Float32Array(config.floats as number).fill(1);
    await train.allreduce(buffer, 'sum'); // warm-up
    const times: number[] = [];
    for (let i = 0; i < (config.rounds as number); i++) {
      const t0 = performance.now();
      const out = await train.allreduce(buffer, 'sum');
      times.push(performance.now() - t0);
      if (out[0] !== 2) throw new Error(`allreduce gave ${out[0]}`);
    }
    await train.report({ times: JSON.stringify(times), node: (globalThis as unknown as { raybox: typeof raybox }).raybox.getRuntimeContext().nodeId });
  };
  // Raw rounds and allreduce rounds alternate (a training run of two allreduces per round), so a
  // burst of load elsewhere on the machine falls on both.
  let nodes: string[] = [];
  for (let i = 0; i < rounds; i++) {
    rawRoundTripMs.push((2 * (bytes / 2 ** 20)) / (await rawThroughputMiBs(channel, bytes)) * 1000);
    const result = await new train.DataParallelTrainer(loop, { trainLoopConfig: { floats: bytes / 4, rounds: 2 }, scalingConfig: { numWorkers: 2 } }).fit();
    allreduceMs.push(...(JSON.parse(String(result.metrics.times)) as number[]));
    nodes = raybox.nodes().filter((n) => n.alive).map((n) => n.nodeId);
  }
  channel.close();
  return { allreduceMs, rawRoundTripMs, ranksByNode: nodes };
}

Object.assign(window, { raybox, peerBench: { startRawEcho, runPeerBench, runTrainRoomBench } });
document.body.dataset['ready'] = '';
