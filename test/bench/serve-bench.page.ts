import { get, init, isInitialized, serve, type DeploymentResponse } from '../../src/index.ts';
import { ServeController } from '../../src/serve/controller.ts';

declare const tf: typeof import('@tensorflow/tfjs');

/**
 * The Serve benchmark, in-page part, each figure beside its baseline from the same run:
 * 1. handle calls vs plain actor calls to the same replica actor: requests/s with `concurrency`
 *    in flight, and p50/p95/p99 latency of one call at a time (goal ≥ 80% of the plain rate);
 * 2. `fetch('/serve/…')` through the Service Worker vs `fetch` of a static file under the same
 *    Service Worker scope (goal ≥ 50% of the static rate), p50/p95/p99 likewise;
 * 3. batching: a TensorFlow.js model served with `serve.batch` at maxBatchSize 10 vs 1, requests/s
 *    with 20 in flight.
 * Rounds alternate the measured thing and its baseline, so a change in the (shared) machine's load
 * weighs on both alike; rates are medians of the rounds, ratios the median of the rounds' ratios.
 */
export interface ServeBenchOptions {
  rounds?: number;
  /** Requests per throughput run. */
  requests?: number;
  /** Calls timed one at a time per round, for latency. */
  sequential?: number;
  concurrency?: number;
  batchRequests?: number;
}

/** A handle as the controller returns it, with the methods a benchmark calls. */
type Handle<M extends string> = { [K in M]: { remote(...args: unknown[]): DeploymentResponse } };

interface Run {
  rps: number;
  latencies: number[];
}

async function closedLoop(n: number, concurrency: number, call: (i: number) => Promise<unknown>): Promise<Run> {
  let next = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const s = performance.now();
        await call(i);
        latencies.push(performance.now() - s);
      }
    }),
  );
  return { rps: (n * 1000) / (performance.now() - t0), latencies };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

function percentiles(xs: number[]): { unit: 'ms'; p50: number; p95: number; p99: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
  return { unit: 'ms', p50: at(50), p95: at(95), p99: at(99) };
}

/** Alternating rounds of `a` and `b`: throughput with `concurrency` in flight, then latency one call at a time. */
async function compare(rounds: number, requests: number, sequential: number, concurrency: number, a: (i: number) => Promise<unknown>, b: (i: number) => Promise<unknown>) {
  const rps = { a: [] as number[], b: [] as number[] };
  const lat = { a: [] as number[], b: [] as number[] };
  await closedLoop(Math.min(requests, 50), concurrency, a);
  await closedLoop(Math.min(requests, 50), concurrency, b);
  for (let round = 0; round < rounds; round++) {
    rps.a.push((await closedLoop(requests, concurrency, a)).rps);
    rps.b.push((await closedLoop(requests, concurrency, b)).rps);
    lat.a.push(...(await closedLoop(sequential, 1, a)).latencies);
    lat.b.push(...(await closedLoop(sequential, 1, b)).latencies);
  }
  return {
    measured: { requestsPerS: { unit: 'requests/s', median: median(rps.a), rounds: rps.a }, latency: percentiles(lat.a) },
    baseline: { requestsPerS: { unit: 'requests/s', median: median(rps.b), rounds: rps.b }, latency: percentiles(lat.b) },
    // Each round's two runs follow each other, so their ratio is less swayed by the machine's load
    // than the ratio of the medians.
    ratio: median(rps.a.map((a, i) => a / (rps.b[i] ?? NaN))),
    ratioOfMedians: median(rps.a) / median(rps.b),
  };
}

export async function runServeBench(options: ServeBenchOptions = {}) {
  const { rounds = 7, requests = 1000, sequential = 200, concurrency = 8, batchRequests = 400 } = options;
  if (!isInitialized()) await init({ numWorkers: 2 });
  const controller = new ServeController();

  // 1. Handle vs plain actor calls to the same replica actor.
  const Echo = serve.deployment(
    class Echo {
      echo(x: number) {
        return x;
      }
    },
    { name: 'Echo', maxOngoingRequests: concurrency },
  );
  const echo = (await controller.run(Echo.bind(), { name: 'echo', http: false })) as unknown as Handle<'echo'>;
  const replica = controller.apps.get('echo')?.ingress.router.replicas[0]?.actor;
  if (!replica) throw new Error('the Echo replica did not start');
  const handle = await compare(
    rounds,
    requests,
    sequential,
    concurrency,
    (i) => echo.echo.remote(i).result(),
    (i) => get(replica.call.remote('echo', i)),
  );

  // 2. HTTP through the Service Worker vs a static file under the same scope.
  const router = serve.router();
  router.get('/ping', () => ({ ok: true }));
  await controller.run(serve.deployment(serve.ingress(router), { maxOngoingRequests: concurrency }).bind(), { name: 'http', routePrefix: '/bench' });
  if (!navigator.serviceWorker.controller) throw new Error('The page is not controlled by the Serve Service Worker; fetch(/serve/…) would not reach it.');
  const fetchJson = async (url: string) => {
    const response = await fetch(url, { cache: 'no-store' });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.json() as Promise<unknown>;
  };
  const http = await compare(
    rounds,
    Math.round(requests / 4),
    Math.round(sequential / 2),
    concurrency,
    () => fetchJson('/serve/bench/ping'),
    () => fetchJson('/test/bench/serve-static.json'),
  );

  // 3. Batching a TensorFlow.js model: maxBatchSize 10 vs 1.
  const Model = serve.deployment(
    class Model {
      model: import('@tensorflow/tfjs').Sequential;
      sizes: number[] = [];
      predict: (x: number[]) => Promise<number[]>;
      constructor(maxBatchSize: number) {
        this.model = tf.sequential({
          layers: [tf.layers.dense({ inputShape: [64], units: 512, activation: 'relu' }), tf.layers.dense({ units: 512, activation: 'relu' }), tf.layers.dense({ units: 2 })],
        });
        this.predict = raybox.serve.batch(
          async (xs: number[][]) => {
            this.sizes.push(xs.length);
            return tf.tidy(() => (this.model.predict(tf.tensor2d(xs)) as import('@tensorflow/tfjs').Tensor2D).arraySync());
          },
          { maxBatchSize, batchWaitTimeoutS: 0.05 },
        );
      }
      meanBatchSize() {
        return this.sizes.reduce((a, b) => a + b, 0) / Math.max(this.sizes.length, 1);
      }
    },
    { maxOngoingRequests: 20 },
  );
  const b10 = (await controller.run(Model.options({ name: 'Batch10' }).bind(10), { name: 'b10', http: false })) as unknown as Handle<'predict' | 'meanBatchSize'>;
  const b1 = (await controller.run(Model.options({ name: 'Batch1' }).bind(1), { name: 'b1', http: false })) as unknown as Handle<'predict' | 'meanBatchSize'>;
  const input = Array.from({ length: 64 }, (_, i) => Math.sin(i));
  const batching = await compare(rounds, batchRequests, 50, 20, () => b10.predict.remote(input).result(), () => b1.predict.remote(input).result());
  const batchSizes = { batch10: await b10.meanBatchSize.remote(), batch1: await b1.meanBatchSize.remote() };

  await controller.shutdown();
  return {
    setup: { rounds, requests, sequential, concurrency, batchRequests, numWorkers: 2 },
    handle: { ...handle, goal: 'handle calls/s >= 80% of plain actor calls/s' },
    http: { ...http, goal: "fetch('/serve/...') requests/s >= 50% of a static file's" },
    batching: { ...batching, meanBatchSize: batchSizes, gain: batching.ratio },
  };
}

declare const raybox: { serve: { batch<T, R>(fn: (items: T[]) => Promise<R[]>, options: { maxBatchSize: number; batchWaitTimeoutS: number }): (item: T) => Promise<R> } };
