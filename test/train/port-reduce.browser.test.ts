/**
 * `allreduce` between workers of one browser over the ports the page hands them, through the
 * leader (a star, the default) and around a ring (`allreduceAlgorithm: 'ring'`): values for sum, mean and max with 2 and 3
 * workers, the steps travelling on MessagePorts (not through the page), their buffers transferred
 * (detached at the sender), not copied; and the ring giving the star's values on uneven floats.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, shutdown, train } from '../../src/index.ts';

beforeAll(async () => {
  await init({ numWorkers: 3 });
});
afterAll(async () => {
  await shutdown();
});

/** Runs in each worker: three reductions, watching what this worker posts on its ports. */
const loop = async () => {
  const r = train.getContext().worldRank;
  const seen = { posts: 0, detached: 0, buffers: 0 };
  const post = MessagePort.prototype.postMessage;
  MessagePort.prototype.postMessage = function (this: MessagePort, message: unknown, transfer?: unknown) {
    const m = message as { type?: string; leaves?: Array<{ data?: ArrayBufferView; indices?: ArrayBufferView; values?: ArrayBufferView }> } | null;
    const counted = m?.type === 'part' || m?.type === 'result' || m?.type === 'ring';
    (post as (m: unknown, t?: unknown) => void).call(this, message, transfer);
    if (counted) {
      seen.posts++;
      for (const leaf of m.leaves ?? []) {
        for (const view of [leaf.data, leaf.indices, leaf.values]) {
          if (!view) continue;
          seen.buffers++;
          if (view.buffer.byteLength === 0) seen.detached++;
        }
      }
    }
  } as typeof post;
  const big = new Float32Array(100_000).fill(r + 1);
  const sum = await train.allreduce({ small: new Float32Array([r, 1, 10 * r]), big }, 'sum');
  const mean = await train.allreduce(new Float64Array([r, 2 * r]), 'mean');
  const max = await train.allreduce(new Int32Array([r, -r]), 'max');
  const counts = { ...seen };
  MessagePort.prototype.postMessage = post;
  const total = await train.allreduce(new Int32Array([counts.posts, counts.buffers, counts.detached]), 'sum');
  await train.report({
    sum: Array.from(sum.small).join(','),
    bigFirst: sum.big[0],
    bigLast: sum.big[99_999],
    mean: Array.from(mean).join(','),
    max: Array.from(max).join(','),
    posts: total[0],
    buffers: total[1],
    detached: total[2],
  });
};

/** Runs in each worker: sum, mean and max of pseudo-random floats and integers, lengths not divisible by 3. */
const valuesLoop = async () => {
  const r = train.getContext().worldRank;
  let seed = 12_345 + 977 * r;
  const next = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648) * 2 - 1;
  const floats = Float32Array.from({ length: 1001 }, next);
  const doubles = Float64Array.from({ length: 2 }, next);
  const ints = Int32Array.from({ length: 7 }, () => Math.round(next() * 1000));
  const out: Record<string, string | boolean> = {};
  let sum = new Float32Array(0);
  for (const op of ['sum', 'mean', 'max'] as const) {
    const reduced = await train.allreduce({ floats: floats.slice(), doubles: doubles.slice(), ints: ints.slice() }, op);
    out[op] = JSON.stringify([Array.from(reduced.floats), Array.from(reduced.doubles), Array.from(reduced.ints)]);
    if (op === 'sum') sum = reduced.floats;
  }
  // Every worker holds the same sum, bit for bit, when its largest and smallest over workers agree.
  const highest = await train.allreduce(sum.slice(), 'max');
  const lowest = await train.allreduce(sum.map((x) => -x), 'max');
  out.same = highest.every((x, i) => x === -lowest[i]!);
  await train.report(out);
};

describe('allreduce over ports', () => {
  const posts = { star: (n: number) => 3 * 2 * (n - 1), ring: (n: number) => 3 * n * 2 * (n - 1) };
  for (const algorithm of ['ring', 'star'] as const)
  for (const n of [2, 3]) {
    it(`combines ${n} workers' values with sum, mean and max over their ports (${algorithm}), buffers transferred`, { timeout: 120_000 }, async () => {
      const result = await new train.DataParallelTrainer(loop, { scalingConfig: { numWorkers: n }, allreduceAlgorithm: algorithm }).fit();
      const ranks = Array.from({ length: n }, (_, r) => r);
      const add = (f: (r: number) => number) => ranks.reduce((a, r) => a + f(r), 0);
      expect(result.metrics).toMatchObject({
        sum: [add((r) => r), n, add((r) => 10 * r)].join(','),
        bigFirst: add((r) => r + 1),
        bigLast: add((r) => r + 1),
        mean: [add((r) => r) / n, add((r) => 2 * r) / n].join(','),
        max: [n - 1, 0].join(','),
      });
      // Three steps. Star: each member sends its part to the leader, who answers each member.
      // Ring: each worker sends k−1 chunks of the reduce-scatter and k−1 of the all-gather.
      expect(result.metrics.posts).toBe(posts[algorithm](n));
      // Every buffer of every part and result left its sender (transferred, so detached there).
      expect(result.metrics.buffers).toBeGreaterThan(0);
      expect(result.metrics.detached).toBe(result.metrics.buffers);
      // The 100,000-float leaf: star, once each way between the leader and each member; ring, each
      // worker sends 2(k−1)/k of it.
      expect(result.allreduceBytes.sent).toBeGreaterThan(2 * (n - 1) * 400_000 * 0.99);
    });
  }

  it('gives, around a ring of 3, the values the star gives (sum, mean, max)', { timeout: 120_000 }, async () => {
    const fit = (algorithm: 'ring' | 'star') => new train.DataParallelTrainer(valuesLoop, { scalingConfig: { numWorkers: 3 }, allreduceAlgorithm: algorithm }).fit();
    const ring = (await fit('ring')).metrics;
    const star = (await fit('star')).metrics;
    expect(ring.same).toBe(true);
    expect(star.same).toBe(true);
    for (const op of ['sum', 'mean', 'max']) {
      const [ringFloats, ringDoubles, ringInts] = JSON.parse(String(ring[op])) as number[][];
      const [starFloats, starDoubles, starInts] = JSON.parse(String(star[op])) as number[][];
      expect(ringFloats).toHaveLength(1001);
      // Floats are added in another order around the ring: equal to float32 rounding.
      ringFloats!.forEach((x, i) => expect(x).toBeCloseTo(starFloats![i]!, 5));
      ringDoubles!.forEach((x, i) => expect(x).toBeCloseTo(starDoubles![i]!, 12));
      expect(ringInts).toEqual(starInts);
      // max picks one worker's value: the same bits either way.
      if (op === 'max') expect(ringFloats).toEqual(starFloats);
    }
  });

  it('fails a ring step that a finished worker will never join, and one where workers ask for different ops', { timeout: 120_000 }, async () => {
    const early = async () => {
      const { worldRank } = train.getContext();
      for (let i = 0; i < (worldRank === 2 ? 1 : 2); i++) await train.allreduce(new Float32Array([i, i, i]), 'sum');
    };
    const ended = await new train.DataParallelTrainer(early, { scalingConfig: { numWorkers: 3 }, allreduceAlgorithm: 'ring' }).fit().catch((e: unknown) => e);
    expect((ended as Error).message).toMatch(/worker 2, whose training loop ended after 1 allreduce calls/);
    const mixed = async () => {
      await train.allreduce(new Float32Array([1, 2]), train.getContext().worldRank === 0 ? 'sum' : 'max');
    };
    const differs = await new train.DataParallelTrainer(mixed, { scalingConfig: { numWorkers: 2 }, allreduceAlgorithm: 'ring' }).fit().catch((e: unknown) => e);
    expect((differs as Error).message).toMatch(/WorkerStepMismatchError/);
    expect((differs as Error).message).toMatch(/'sum' but another for 'max'|'max' but another for 'sum'/);
  });

  it('refuses an allreduceAlgorithm it does not know, saying what it takes', () => {
    expect(() => new train.DataParallelTrainer(loop, { allreduceAlgorithm: 'tree' as never })).toThrow(/give 'ring' or 'star'/);
    expect(() => new train.DataParallelTrainer(loop, { allreduceAlgorithm: 'tree' as never })).toThrow(train.TrainConfigError);
  });
});
