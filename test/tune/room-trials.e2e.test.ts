/**
 * Tune in a room: a head page with one worker and a joiner page, real pages over real WebRTC.
 * Trials hold a CPU each, so with two running at once some trials run on the joiner; their
 * reports come back to the head's tuner and the best config is the right one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openRoomPair, type RoomPair } from '../support/room-pair.ts';

declare const raybox: typeof import('../../src/index.ts');

let room: RoomPair | undefined;
let head: Page;

beforeAll(async () => {
  room = await openRoomPair();
  ({ head } = room);
}, 180_000);

afterAll(async () => {
  await room?.close();
});

describe('Tune trials in a room', () => {
  it('places some trials on the joiner and gathers their results', async () => {
    const out = await head.evaluate(async () => {
      for (let i = 0; i < 200 && !raybox.nodes().some((n) => n.alive && !n.isLocal); i++) await new Promise((r) => setTimeout(r, 100));
      const joinerId = raybox.nodes().find((n) => n.alive && !n.isLocal)?.nodeId;
      const headId = raybox.nodes().find((n) => n.isLocal)?.nodeId;
      const { tune } = raybox;
      const trainable = async (config: Record<string, unknown>) => {
        for (let i = 1; i <= 3; i++) await tune.report({ score: -((config.x as number) ** 2), ranOn: raybox.getRuntimeContext().nodeId });
      };
      const grid = await new tune.Tuner(trainable, {
        paramSpace: { x: tune.gridSearch([-2, -1, 0, 1, 2, 3]) },
        tuneConfig: { metric: 'score', mode: 'max', maxConcurrentTrials: 2 },
      }).fit();
      const results = [...grid];
      return {
        joinerId,
        headId,
        nodes: results.map((r) => r.nodeId),
        reportedFrom: results.map((r) => r.metrics.ranOn),
        iterations: results.map((r) => r.metrics.trainingIteration),
        errors: grid.numErrors,
        best: grid.getBestResult().config,
      };
    });
    expect(out.joinerId).toBeDefined();
    expect(out.errors).toBe(0);
    expect(out.iterations).toEqual([3, 3, 3, 3, 3, 3]);
    expect(out.best).toEqual({ x: 0 });
    // Each trial's node is where its trainable ran; the joiner ran some, the head the others.
    expect(out.reportedFrom).toEqual(out.nodes);
    expect(out.nodes).toContain(out.joinerId);
    expect(out.nodes.every((n) => n === out.joinerId || n === out.headId)).toBe(true);
  });
});
