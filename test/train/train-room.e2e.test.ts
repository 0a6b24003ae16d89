/**
 * Training across a room: the head (one worker) and a joiner (one worker) form a group of two,
 * one worker on each browser. The group averages gradients over the room and learns what one
 * browser would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openRoomPair, type RoomPair } from '../support/room-pair.ts';

declare const raybox: typeof import('../../src/index.ts');
/** `train` and `tf` as the training loop sees them in its worker. */
declare const train: typeof import('../../src/index.ts').train;
declare const tf: typeof import('@tensorflow/tfjs');

let room: RoomPair | undefined;
let head: Page;

beforeAll(async () => {
  room = await openRoomPair();
  ({ head } = room);
}, 180_000);

afterAll(async () => {
  await room?.close();
});

describe('raybox.train in a room', () => {
  it('runs one worker on the joiner, ranks them by node, and learns known coefficients', { timeout: 400_000 }, async () => {
    const out = await head.evaluate(async () => {
      const rows = Array.from({ length: 128 }, (_, i) => {
        const x1 = ((i * 37) % 101) / 50 - 1;
        const x2 = ((i * 53) % 97) / 48 - 1;
        return { x1, x2, y: 3 * x1 - 2 * x2 + 0.5 };
      });
      const loop = async (config: Record<string, unknown>) => {
        const ctx = train.getContext();
        const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1, kernelInitializer: 'zeros' })] });
        const optimizer = train.prepareOptimizer(tf.train.sgd(config.lr as number));
        const shard = train.getDatasetShard('train');
        for (let epoch = 0; epoch < (config.epochs as number); epoch++) {
          for await (const batch of shard.iterBatches({ batchSize: 32 })) {
            const b = batch as unknown as { x1: Float64Array; x2: Float64Array; y: Float64Array };
            const x = tf.tensor2d(Array.from(b.x1, (v, i) => [v, b.x2[i]!]));
            const y = tf.tensor2d(Array.from(b.y), [b.y.length, 1]);
            await optimizer.minimize(() => tf.losses.meanSquaredError(y, model.predict(x) as typeof y) as import('@tensorflow/tfjs').Scalar);
            x.dispose();
            y.dispose();
          }
        }
        const [kernel, bias] = await Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));
        const node = raybox.getRuntimeContext().nodeId;
        await train.report({ w1: kernel![0], w2: kernel![1], b: bias![0], node, rank: ctx.worldRank, nodeRank: ctx.nodeRank, localRank: ctx.localRank, localWorldSize: ctx.localWorldSize });
      };
      const nodes: Record<string, string> = {};
      const result = await new raybox.train.TensorflowTrainer(loop, {
        trainLoopConfig: { lr: 0.3, epochs: 30 },
        scalingConfig: { numWorkers: 2 },
        datasets: { train: raybox.data.fromItems(rows) },
      }).fit();
      const peer = raybox.nodes().find((n) => n.alive && !n.isLocal)!.nodeId;
      const local = raybox.nodes().find((n) => n.isLocal)!.nodeId;
      nodes.peer = peer;
      nodes.local = local;
      return { metrics: result.metrics, nodes };
    });
    // Rank 0's worker sits on one node and rank 1's on the other: each is alone on its node.
    expect([out.nodes.local, out.nodes.peer]).toContain(out.metrics.node);
    expect(out.metrics.localRank).toBe(0);
    expect(out.metrics.localWorldSize).toBe(1);
    expect(out.metrics.w1 as number).toBeCloseTo(3, 1);
    expect(out.metrics.w2 as number).toBeCloseTo(-2, 1);
    expect(out.metrics.b as number).toBeCloseTo(0.5, 1);
  });
});
