import { data, get, init, isInitialized, kill, remote, train } from '../../src/index.ts';

/** The worker's globals, which the loops and actors below use. */
declare const tf: typeof import('@tensorflow/tfjs');
declare const raybox: typeof import('../../src/index.ts');

/**
 * The Train benchmark, in-page part, each figure beside its baseline from the same run:
 * 1. allreduce of a 4 MB Float32Array between 2 training workers (over the ports the page hands
 *    them; through the leader, a star, the default, and around a ring) vs a raw round trip of the same buffer, copied both ways, between two workers joined by
 *    a MessageChannel (goal ≥ 70%); for the record, the same round trip transferred (a hand-over
 *    that never reads the values, a floor no reduction reaches) and an actor call from one worker
 *    to another's actor there and back (the path allreduce took before it had ports);
 * 2. samples/s of the chapter 7 MLP (4 → 256 → 16 → 1, batch norm, sigmoid) on the flights table,
 *    2 workers vs 1 worker, each on the same batch per worker (weak scaling, as Ray's ScalingConfig
 *    does), measured in alternating rounds (goal ≥ 1.6×). The batch is 512: each TensorFlow.js
 *    training step costs a near-fixed amount of background CPU (V8 recompiling two tf.js functions
 *    it keeps deoptimising, about 5 ms a step here), so at batch 64 one worker already keeps 1.7
 *    cores busy and two cannot scale on two cores; at 512 that cost is a sixth of a step. That
 *    recompiling fades as a worker warms up, and each worker warms up on its own: so every worker
 *    first trains `warmupSteps` untimed steps, whether it is one of one or one of two (counting
 *    epochs instead would give each of two workers half the warm-up of a lone one);
 * 3. allreduce bytes on the wire of that training, uncompressed, float16 and top-1%.
 * Times are measured inside the workers, after the group started, so worker start-up is left out.
 */
export interface TrainBenchOptions {
  /** allreduce rounds (and round trips) timed. */
  rounds?: number;
  /** MB of the reduced buffer. */
  megabytes?: number;
  /** Epochs timed, after the warm-up. */
  epochs?: number;
  /** Untimed steps each worker trains first (whole epochs, at least this many steps). */
  warmupSteps?: number;
  /** Samples per worker per step, the same for 1 and 2 workers. */
  batchPerWorker?: number;
  /** Alternating rounds of 1-worker and 2-worker training; the figures are their medians. */
  throughputRounds?: number;
  /** The flights table repeated this many times, so an epoch has enough steps of a large batch. */
  repeatRows?: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export async function runTrainBench(options: TrainBenchOptions = {}) {
  const { rounds = 10, megabytes = 4, epochs = 2, warmupSteps = 120, batchPerWorker = 512, throughputRounds = 5, repeatRows = 32 } = options;
  if (!isInitialized()) await init({ numWorkers: 2 });
  const floats = (megabytes * 1024 * 1024) / 4;

  // 1a. allreduce inside a group of two.
  const reduceLoop = async (config: Record<string, unknown>) => {
    const n = config.floats as number;
    const buffer = new Float32Array(n).fill(train.getContext().worldRank + 1);
    const times: number[] = [];
    await train.allreduce(buffer, 'sum'); // warm-up
    for (let i = 0; i < (config.rounds as number); i++) {
      const t0 = performance.now();
      const out = await train.allreduce(buffer, 'sum');
      times.push(performance.now() - t0);
      if (out[0] !== 3) throw new Error(`allreduce gave ${out[0]}`);
    }
    await train.report({ times: JSON.stringify(times) });
  };
  // Through the leader (a star, the default) and around the ring, alternating, twice each.
  const reduceTimes: Record<'ring' | 'star', number[]> = { ring: [], star: [] };
  for (let round = 0; round < 2; round++) {
    for (const algorithm of ['ring', 'star'] as const) {
      const reduced = await new train.DataParallelTrainer(reduceLoop, { trainLoopConfig: { floats, rounds }, scalingConfig: { numWorkers: 2 }, allreduceAlgorithm: algorithm }).fit();
      reduceTimes[algorithm].push(...(JSON.parse(String(reduced.metrics.times)) as number[]));
    }
  }
  const ringMs = median(reduceTimes.ring);
  const starMs = median(reduceTimes.star);
  const allreduceMs = starMs;

  // 1b. The same bytes there and back between two actors, one calling the other.
  const Echo = remote(
    class Echo {
      echo(x: Float32Array) {
        return x;
      }
    },
  );
  const Caller = remote(
    class Caller {
      async run(peer: { echo: { remote(x: Float32Array): unknown } }, n: number, count: number) {
        const buffer = new Float32Array(n).fill(1);
        const times: number[] = [];
        await raybox.get(peer.echo.remote(buffer) as never);
        for (let i = 0; i < count; i++) {
          const t0 = performance.now();
          await raybox.get(peer.echo.remote(buffer) as never);
          times.push(performance.now() - t0);
        }
        return times;
      }
    },
  );
  const echo = Echo.options({ numCpus: 1 }).remote();
  const caller = Caller.options({ numCpus: 1 }).remote();
  const actorCallMs = median(await get(caller.run.remote(echo as never, floats, rounds)));
  kill(echo);
  kill(caller);

  // 1c. The raw transfer: a round trip of the same buffer between two bare workers over a
  // MessageChannel, copied (as data sent between workers is) and transferred (a hand-over that
  // never reads the values: the floor, which no reduction can reach).
  const rawMs = median(await rawPortRoundTrips(floats, rounds, true));
  const handOverMs = median(await rawPortRoundTrips(floats, rounds, false));

  // 2. Samples/s of the chapter 7 model, 1 and 2 workers.
  const response = await fetch('/data/flights-2k.json');
  const flights = (await response.json()) as Array<{ date: string; delay: number; distance: number }>;
  const table = flights.map((f) => {
    const [day = '', time = ''] = f.date.split(' ');
    const [y = 0, m = 1, d = 1] = day.split('/').map(Number);
    const [hh = 0, mm = 0] = time.split(':').map(Number);
    return { hour: (hh + mm / 60) / 24, weekday: new Date(y, m - 1, d).getDay() / 6, day: d / 31, distance: f.distance / 3000, delayed: f.delay > 15 ? 1 : 0 };
  });
  const rows = Array.from({ length: repeatRows }, () => table).flat();
  const mlpLoop = async (config: Record<string, unknown>) => {
    const features = config.features as string[];
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [features.length], units: 256, activation: 'relu' }),
        tf.layers.batchNormalization(),
        tf.layers.dense({ units: 16, activation: 'relu' }),
        tf.layers.batchNormalization(),
        tf.layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
    });
    const optimizer = train.prepareOptimizer(tf.train.adam(1e-3));
    const shard = train.getDatasetShard('train');
    const batchSize = config.batchSize as number;
    let samples = 0;
    let ms = 0;
    let gradientBytes = 0;
    for (let epoch = 0; epoch < (config.epochs as number); epoch++) {
      const t0 = performance.now();
      for await (const batch of shard.iterBatches({ batchSize, dropLast: true })) {
        const b = batch as unknown as Record<string, Float64Array>;
        const x = tf.stack(features.map((f) => tf.tensor1d(Float32Array.from(b[f]!))), 1);
        const y = tf.tensor2d(Float32Array.from(b.delayed!), [b.delayed!.length, 1]);
        await optimizer.minimize(() => tf.losses.logLoss(y, model.apply(x, { training: true }) as typeof y) as import('@tensorflow/tfjs').Scalar);
        tf.dispose([x, y]);
        samples += batchSize;
      }
      // The warm-up epochs are left out.
      if (epoch >= (config.warmupEpochs as number)) ms += performance.now() - t0;
      else samples = 0;
    }
    gradientBytes = model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce((p: number, d) => p * (d ?? 1), 1) * 4, 0);
    await train.report({ samples, ms, gradientBytes });
  };
  const features = ['hour', 'weekday', 'day', 'distance'];
  const fitMlp = async (numWorkers: number, gradientCompression?: 'float16' | { topK: number }) => {
    const stepsPerEpoch = Math.floor(rows.length / numWorkers / batchPerWorker);
    const warmupEpochs = Math.max(1, Math.ceil(warmupSteps / stepsPerEpoch));
    const result = await new train.TensorflowTrainer(mlpLoop, {
      trainLoopConfig: { features, epochs: warmupEpochs + epochs, warmupEpochs, batchSize: batchPerWorker },
      scalingConfig: { numWorkers },
      datasets: { train: data.fromItems(rows) },
      ...(gradientCompression ? { gradientCompression } : {}),
    }).fit();
    const { samples, ms, gradientBytes } = result.metrics as { samples: number; ms: number; gradientBytes: number };
    // Rank 0 saw 1/numWorkers of the samples in the time the whole group took.
    return { samplesPerS: (samples * numWorkers) / (ms / 1000), gradientBytes, wire: result.allreduceBytes };
  };
  // 1 and 2 workers alternate, so a burst of load elsewhere on the machine falls on both.
  const oneRates: number[] = [];
  const twoRates: number[] = [];
  let one = await fitMlp(1);
  let two = await fitMlp(2);
  for (let round = 0; round < throughputRounds; round++) {
    if (round > 0) one = await fitMlp(1);
    oneRates.push(one.samplesPerS);
    if (round > 0) two = await fitMlp(2);
    twoRates.push(two.samplesPerS);
  }
  const half = await fitMlp(2, 'float16');
  const topK = await fitMlp(2, { topK: 0.01 });

  const bytes = floats * 4;
  const roundRatios = twoRates.map((rate, i) => rate / (oneRates[i] as number));
  return {
    setup: { rounds, megabytes, epochs, warmupSteps, rows: rows.length, batchPerWorker, throughputRounds },
    allreduce: {
      goal: '≥ 70% of the raw transfer rate between the same kind of workers (a copied round trip)',
      allreduceMs: { unit: 'ms', value: allreduceMs },
      ringMs: { unit: 'ms', value: ringMs },
      starMs: { unit: 'ms', value: starMs },
      starOverRing: starMs / ringMs,
      rawRoundTripMs: { unit: 'ms', value: rawMs },
      handOverRoundTripMs: { unit: 'ms', value: handOverMs },
      actorCallRoundTripMs: { unit: 'ms', value: actorCallMs },
      allreduceMBps: { unit: 'MB/s', value: bytes / 1e6 / (allreduceMs / 1000) },
      rawMBps: { unit: 'MB/s', value: bytes / 1e6 / (rawMs / 1000) },
      ratio: rawMs / allreduceMs,
      ratioToHandOver: handOverMs / allreduceMs,
      ratioToActorCall: actorCallMs / allreduceMs,
    },
    throughput: {
      goal: '≥ 1.6× samples/s with 2 workers',
      note: `median of ${throughputRounds} alternating rounds, batch ${batchPerWorker} per worker for both, each worker warmed up by ${warmupSteps} steps first`,
      oneWorker: { unit: 'samples/s', value: median(oneRates), rounds: oneRates },
      twoWorkers: { unit: 'samples/s', value: median(twoRates), rounds: twoRates },
      ratio: median(twoRates) / median(oneRates),
      // Each round's 2-worker rate over the 1-worker rate measured just before it: a drift in the
      // machine's load over the minutes of the benchmark falls on both sides of each pair.
      roundRatios,
      roundRatioMedian: median(roundRatios),
    },
    bytesPerStep: {
      note: 'float32 gradients of the model (what one worker sends per step uncompressed)',
      uncompressed: { unit: 'B', value: one.gradientBytes },
    },
    wire: {
      note: 'allreduce bytes on the wire of the 2-worker training above, all workers and steps (parts and results), against the same values as float32',
      uncompressed: { unit: 'B', value: two.wire.sent },
      float16: { unit: 'B', value: half.wire.sent, ofUncompressed: half.wire.sent / half.wire.uncompressed },
      topK1Percent: { unit: 'B', value: topK.wire.sent, ofUncompressed: topK.wire.sent / topK.wire.uncompressed },
    },
  };
}

/** Round trips of `floats` float32s between two bare workers joined by a MessageChannel, copied or transferred both ways. */
async function rawPortRoundTrips(floats: number, rounds: number, copy: boolean): Promise<number[]> {
  const ping = new Worker(new URL('./raw-port.worker.ts', import.meta.url), { type: 'module' });
  const echo = new Worker(new URL('./raw-port.worker.ts', import.meta.url), { type: 'module' });
  const channel = new MessageChannel();
  echo.postMessage({ role: 'echo', port: channel.port1, copy }, [channel.port1]);
  const times = new Promise<number[]>((resolve) => (ping.onmessage = (e: MessageEvent<number[]>) => resolve(e.data)));
  ping.postMessage({ role: 'ping', port: channel.port2, floats, rounds, copy }, [channel.port2]);
  try {
    return await times;
  } finally {
    ping.terminate();
    echo.terminate();
  }
}

