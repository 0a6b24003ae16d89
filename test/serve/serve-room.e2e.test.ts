/**
 * Serve in a room: a deployment places a replica on a joiner (a real page, over WebRTC), and
 * requests through the handle are answered by that replica, in the joiner's worker.
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

describe('serve in a room', () => {
  it("places a replica on a joiner, which answers the deployment's requests", { timeout: 120_000 }, async () => {
    const result = await head.evaluate(async () => {
      let peer: string | undefined;
      for (let i = 0; i < 300 && !peer; i++) {
        peer = raybox.nodes().find((node) => node.alive && !node.isLocal)?.nodeId;
        if (!peer) await new Promise((r) => setTimeout(r, 100));
      }
      if (!peer) throw new Error('no joiner joined');
      const Where = raybox.serve.deployment(
        class Where {
          served = 0;
          where(text: string) {
            this.served += 1;
            return { text: text.toUpperCase(), nodeId: raybox.getRuntimeContext().nodeId, served: this.served };
          }
        },
        { name: 'Where', rayActorOptions: { schedulingStrategy: { nodeId: peer, soft: false } } },
      );
      const handle = await raybox.serve.run(Where.bind(), { http: false, name: 'room' });
      const answers = await Promise.all(['a', 'b', 'c', 'd'].map((t) => handle.where.remote(t)));
      const headNode = raybox.nodes().find((node) => node.isLocal)?.nodeId;
      return { peer, headNode, answers, status: raybox.serve.status().applications.room };
    });
    expect(result.peer).not.toBe(result.headNode);
    expect(result.answers.map((a) => a.text)).toEqual(['A', 'B', 'C', 'D']);
    expect(result.answers.map((a) => a.nodeId)).toEqual([result.peer, result.peer, result.peer, result.peer]);
    expect(result.answers.map((a) => a.served).sort()).toEqual([1, 2, 3, 4]);
    expect(result.status?.deployments['Where']).toEqual({ status: 'RUNNING', numReplicas: 1 });
  });
});
