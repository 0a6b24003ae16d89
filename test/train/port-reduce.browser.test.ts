/**
 * `allreduce` between workers of one browser over the ports the page hands them: values for sum,
 * mean and max with 2 and 3 workers, the steps travelling on MessagePorts (not through the page),
 * and their buffers transferred (detached at the sender), not copied.
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
    const counted = m?.type === 'part' || m?.type === 'result';
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

describe('allreduce over ports', () => {
  for (const n of [2, 3]) {
    it(`combines ${n} workers' values with sum, mean and max over their ports, buffers transferred`, { timeout: 120_000 }, async () => {
      const result = await new train.DataParallelTrainer(loop, { scalingConfig: { numWorkers: n } }).fit();
      const ranks = Array.from({ length: n }, (_, r) => r);
      const add = (f: (r: number) => number) => ranks.reduce((a, r) => a + f(r), 0);
      expect(result.metrics).toMatchObject({
        sum: [add((r) => r), n, add((r) => 10 * r)].join(','),
        bigFirst: add((r) => r + 1),
        bigLast: add((r) => r + 1),
        mean: [add((r) => r) / n, add((r) => 2 * r) / n].join(','),
        max: [n - 1, 0].join(','),
      });
      // Three steps: each member sends its part to the leader, who answers each member.
      expect(result.metrics.posts).toBe(3 * 2 * (n - 1));
      // Every buffer of every part and result left its sender (transferred, so detached there).
      expect(result.metrics.buffers).toBeGreaterThan(0);
      expect(result.metrics.detached).toBe(result.metrics.buffers);
      // The 100,000-float leaf went once each way between the leader and each member.
      expect(result.allreduceBytes.sent).toBeGreaterThan(2 * (n - 1) * 400_000);
    });
  }
});
