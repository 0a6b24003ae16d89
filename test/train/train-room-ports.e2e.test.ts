/**
 * Two-level reduction across a room: the head has one training worker, the joiner two. The
 * joiner's two reduce over a MessagePort its sandbox joined them by (never through a page); their
 * leader exchanges with rank 0 on the head over the room's DataChannels. Every worker gets the
 * same sums and means.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openRoomPair, type RoomPair } from '../support/room-pair.ts';

declare const raybox: typeof import('../../src/index.ts');
declare const train: typeof import('../../src/index.ts').train;
declare const tf: typeof import('@tensorflow/tfjs');

let room: RoomPair | undefined;
let head: Page;

beforeAll(async () => {
  room = await openRoomPair({ headWorkers: 1, joinerWorkers: 2 });
  ({ head } = room);
}, 180_000);

afterAll(async () => {
  await room?.close();
});

describe('raybox.train in a room, two workers on the joiner', () => {
  it("reduces the joiner's workers over their own port, then across the room", { timeout: 300_000 }, async () => {
    const out = await head.evaluate(async () => {
      const loop = async () => {
        const ctx = train.getContext();
        const r = ctx.worldRank;
        let parts = 0;
        const post = MessagePort.prototype.postMessage;
        MessagePort.prototype.postMessage = function (this: MessagePort, message: unknown, transfer?: unknown) {
          if ((message as { type?: string } | null)?.type === 'part') parts++;
          (post as (m: unknown, t?: unknown) => void).call(this, message, transfer);
        } as typeof post;
        const sum = await train.allreduce(new Float32Array(50_000).fill(r + 1), 'sum');
        const mean = await train.allreduce(new Float64Array([r]), 'mean');
        MessagePort.prototype.postMessage = post;
        // Each worker's own view, gathered to every worker: node rank, local size, ports used, results seen.
        const seen = await train.allreduce(
          { localSize: Int32Array.from({ length: 3 }, (_, i) => (i === r ? ctx.localWorldSize : 0)), parts: Int32Array.from({ length: 3 }, (_, i) => (i === r ? parts : 0)), firstSum: Float32Array.from({ length: 3 }, (_, i) => (i === r ? sum[0]! : 0)), lastSum: Float32Array.from({ length: 3 }, (_, i) => (i === r ? sum[49_999]! : 0)), mean: Float64Array.from({ length: 3 }, (_, i) => (i === r ? mean[0]! : 0)) },
          'sum',
        );
        await train.report({
          localSize: Array.from(seen.localSize).join(','),
          parts: Array.from(seen.parts).join(','),
          firstSum: Array.from(seen.firstSum).join(','),
          lastSum: Array.from(seen.lastSum).join(','),
          mean: Array.from(seen.mean).join(','),
          node: raybox.getRuntimeContext().nodeId,
        });
      };
      const result = await new raybox.train.DataParallelTrainer(loop, { scalingConfig: { numWorkers: 3 } }).fit();
      return { metrics: result.metrics, local: raybox.nodes().find((n) => n.isLocal)!.nodeId };
    });
    // Rank 0 is alone on the head; ranks 1 and 2 share the joiner.
    expect(out.metrics.node).toBe(out.local);
    expect(out.metrics.localSize).toBe('1,2,2');
    // Two steps over the port: the joiner's member (rank 2) sent its part to its leader (rank 1) each time.
    expect(out.metrics.parts).toBe('0,0,2');
    expect(out.metrics.firstSum).toBe('6,6,6');
    expect(out.metrics.lastSum).toBe('6,6,6');
    expect(out.metrics.mean).toBe('1,1,1');
  });

  it('trains with float16 and top-k gradients across the room, sending fewer bytes', { timeout: 300_000 }, async () => {
    const out = await head.evaluate(async () => {
      const rows = Array.from({ length: 96 }, (_, i) => {
        const x1 = ((i * 37) % 101) / 50 - 1;
        const x2 = ((i * 53) % 97) / 48 - 1;
        return { x1, x2, y: 3 * x1 - 2 * x2 + 0.5 };
      });
      const loop = async () => {
        // 33 weights, so the top quarter of each leaf (but the single bias) goes sparse.
        const model = tf.sequential({
          layers: [
            tf.layers.dense({ inputShape: [2], units: 8, activation: 'tanh', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
            tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
          ],
        });
        const optimizer = train.prepareOptimizer(tf.train.adam(0.05));
        const shard = train.getDatasetShard('train');
        for (let epoch = 0; epoch < 8; epoch++) {
          let loss = 0;
          for await (const batch of shard.iterBatches({ batchSize: 16 })) {
            const b = batch as unknown as { x1: Float64Array; x2: Float64Array; y: Float64Array };
            const x = tf.tensor2d(Array.from(b.x1, (v, i) => [v, b.x2[i]!]));
            const y = tf.tensor2d(Array.from(b.y), [b.y.length, 1]);
            const cost = (await optimizer.minimize(() => tf.losses.meanSquaredError(y, model.predict(x) as typeof y) as import('@tensorflow/tfjs').Scalar, true)) as import('@tensorflow/tfjs').Scalar;
            loss = (await cost.data())[0]!;
            tf.dispose([cost, x, y]);
          }
          await train.report({ loss });
        }
      };
      const fit = (gradientCompression?: 'float16' | { topK: number }) =>
        new raybox.train.DataParallelTrainer(loop, { scalingConfig: { numWorkers: 3 }, datasets: { train: raybox.data.fromItems(rows) }, ...(gradientCompression ? { gradientCompression } : {}) }).fit();
      const runs = [await fit(), await fit('float16'), await fit({ topK: 0.25 })];
      return runs.map((r) => ({ losses: r.metricsHistory.map((m) => m.loss as number), bytes: r.allreduceBytes }));
    });
    const [plain, half, topK] = out;
    for (const run of out) expect(run.losses.at(-1)!).toBeLessThan(run.losses[0]! / 2);
    expect(plain!.bytes.sent).toBe(plain!.bytes.uncompressed);
    expect(half!.bytes.sent).toBe(plain!.bytes.sent / 2);
    // Less, though not a quarter: sums of sparse parts fill in, and results go back dense where they are.
    expect(topK!.bytes.sent).toBeLessThan(plain!.bytes.sent);
  });
});
