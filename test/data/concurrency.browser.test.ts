/**
 * The streaming executor keeps every CPU busy: block tasks run at once on different workers from
 * the first block on, and a block that takes long does not hold the others back (blocks still come
 * out in input order). Shown by the order of task events and by a handshake between two block
 * tasks that can only complete while both run at once, never by elapsed time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { data, init, onEvent, shutdown, type RayboxEvent } from '../../src/index.ts';

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await shutdown();
});

/**
 * Block 0 waits for a 'go' from the last block over a BroadcastChannel; the last block answers an
 * 'ask' with 'go' and ends once block 0 says 'done'. Each side repeats its half when it hears the
 * other, so neither depends on who starts first; both finish only if both run at the same time.
 */
async function handshake(batch: Record<string, Float64Array>, channelName: string, lastStart: number) {
  const first = batch.id![0];
  if (first === 0 || first === lastStart) {
    const channel = new BroadcastChannel(channelName);
    await new Promise<void>((resolve) => {
      channel.onmessage = (e: MessageEvent) => {
        if (first === 0 && e.data === 'go') {
          channel.postMessage('done');
          resolve();
        } else if (first !== 0 && e.data === 'ask') channel.postMessage('go');
        else if (first !== 0 && e.data === 'done') resolve();
      };
      channel.postMessage(first === 0 ? 'ask' : 'go');
    });
    channel.close();
  }
  return { id: batch.id!.map((x) => x * 2) };
}

describe('block tasks on two workers', () => {
  it('the first and the last block run at once on two workers while the blocks between them finish', { timeout: 120_000 }, async () => {
    // Both workers have loaded raybox.data before the handshake.
    expect(await data.range(20, { overrideNumBlocks: 2 }).count()).toBe(20);
    const events: Extract<RayboxEvent, { type: 'task' }>[] = [];
    const stop = onEvent((e) => {
      if (e.type === 'task' && e.name.startsWith('data:') && (e.state === 'RUNNING' || e.state === 'FINISHED')) events.push(e);
    });
    const blocks = 6;
    const rows = 60;
    let out: number[];
    try {
      const ds = data.range(rows, { overrideNumBlocks: blocks }).mapBatches(handshake, { fnConstructorArgs: [`rb-gate-${Math.random()}`, rows - rows / blocks] });
      out = (await ds.takeAll()).map((r) => r.id as number);
    } finally {
      stop();
    }
    // In input order, although block 0 finished last of all.
    expect(out).toEqual([...Array(rows).keys()].map((i) => i * 2));

    // Replay the events: which tasks run, on which workers, at each step.
    const runningOn = new Map<string, string>();
    let mostWorkersAtOnce = 0;
    const firstTask = events[0]!.taskId;
    let finishedWhileFirstRan = 0;
    for (const e of events) {
      if (e.state === 'RUNNING') runningOn.set(e.taskId, e.workerId!);
      else {
        runningOn.delete(e.taskId);
        if (e.taskId !== firstTask && runningOn.has(firstTask)) finishedWhileFirstRan++;
      }
      mostWorkersAtOnce = Math.max(mostWorkersAtOnce, new Set(runningOn.values()).size);
    }
    expect(events.filter((e) => e.state === 'FINISHED')).toHaveLength(blocks);
    expect(mostWorkersAtOnce).toBe(2);
    // Blocks 1 to 4 finished while block 0 was still running (it held none of them back), and the
    // last block ran beside it (which of the two ends first is up to the workers).
    expect(finishedWhileFirstRan).toBeGreaterThanOrEqual(blocks - 2);
  });
});
