/**
 * raybox.data across a room: a head page with one worker and a joiner page with two, each a real
 * page in its own browser context over WebRTC. The head keeps a window of as many tasks in flight
 * as the room has CPUs and its own worker takes one, so the joiner makes blocks too; the head
 * consumes every block, in order, and the object store lets go of each once consumed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openRoomPair, type RoomPair } from '../support/room-pair.ts';

declare const raybox: typeof import('../../src/index.ts');

let room: RoomPair | undefined;
let head: Page;
let joinerNode: string;

beforeAll(async () => {
  room = await openRoomPair({ joinerWorkers: 2 });
  ({ head, joinerNode } = room);
}, 180_000);

afterAll(async () => {
  await room?.close();
});

describe('a dataset in a room', () => {
  it('blocks made on the joiner are consumed at the head, every row once and in order', async () => {
    const out = await head.evaluate(async () => {
      // 8 blocks of 50,000 rows (about 0.8 MB of numbers each, so the joiner keeps each block until the head asks for it).
      const ds = raybox.data.range(400_000, { overrideNumBlocks: 8 }).mapBatches((b: Record<string, Float64Array>) => {
        const where = raybox.getRuntimeContext().nodeId;
        return { id: b.id!, sq: b.id!.map((x) => x * x), node: new Array<string>(b.id!.length).fill(where) };
      });
      const storeBefore = raybox.objectStoreStats().bytes;
      const rowsByNode: Record<string, number> = {};
      let next = 0;
      let inOrder = true;
      let squares = true;
      for await (const batch of ds.iterBatches({ batchSize: 50_000 })) {
        const { id, sq, node } = batch as { id: Float64Array; sq: Float64Array; node: string[] };
        for (let i = 0; i < id.length; i++) {
          if (id[i] !== next++) inOrder = false;
          if (sq[i] !== id[i]! * id[i]!) squares = false;
        }
        for (const n of new Set(node)) rowsByNode[n] = (rowsByNode[n] ?? 0) + node.filter((x) => x === n).length;
      }
      return { rows: next, inOrder, squares, rowsByNode, headNode: raybox.getRuntimeContext().nodeId, storeReleased: raybox.objectStoreStats().bytes === storeBefore, tasks: ds.stats()!.tasks };
    });
    expect(out.rows).toBe(400_000);
    expect(out.inOrder).toBe(true);
    expect(out.squares).toBe(true);
    expect(out.tasks).toBe(8);
    // The joiner made blocks (whole ones: 50,000 rows each), and they all reached the head.
    expect(out.rowsByNode[joinerNode]).toBeGreaterThanOrEqual(50_000);
    expect((out.rowsByNode[joinerNode] ?? 0) % 50_000).toBe(0);
    expect(Object.keys(out.rowsByNode).every((n) => n === joinerNode || n === out.headNode)).toBe(true);
    expect(out.storeReleased).toBe(true);
  });
});
