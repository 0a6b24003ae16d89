import { describe, expect, it } from 'vitest';
import type { ObjectRefGenerator } from '../../src/core/object-ref-generator.ts';
import { cluster, fn, settle } from './fake-node.ts';

/** Streaming tasks at the head: yields handed out in order as they come, the end, and a retried stream. */
describe('Driver: streams', () => {
  it('hands each yield to the consumer in order, waiting for the next, and ends with the task', async () => {
    const { driver, workerOf } = cluster({ nodeId: 'h', numWorkers: 1 });
    const gen = driver.submitTask(fn('count', true), [], {}) as ObjectRefGenerator;
    await settle();
    const worker = workerOf(gen.taskId);
    worker.says({ type: 'yield', taskId: gen.taskId, index: 0, value: 'a', size: 1, special: false });
    const first = await gen.next();
    const second = gen.next();
    worker.says({ type: 'yield', taskId: gen.taskId, index: 1, value: 'b', size: 1, special: false });
    worker.says({ type: 'done', taskId: gen.taskId, values: [], sizes: [], special: false, start: 0, end: 1 });
    const refs = [first, await second].map((result) => {
      if (result.done) throw new Error('the stream ended early');
      return result.value;
    });
    expect(await driver.get(refs, undefined)).toEqual(['a', 'b']);
    expect((await gen.next()).done).toBe(true);
  });

  it('does not repeat the yields a retried stream gives again', async () => {
    const { driver, workerOf } = cluster({ nodeId: 'h', numWorkers: 2 });
    const gen = driver.submitTask(fn('count', true), [], { maxRetries: 1 }) as ObjectRefGenerator;
    await settle();
    workerOf(gen.taskId).says({ type: 'yield', taskId: gen.taskId, index: 0, value: 'a', size: 1, special: false });
    workerOf(gen.taskId).crashes();
    await settle();
    const again = workerOf(gen.taskId);
    again.says({ type: 'yield', taskId: gen.taskId, index: 0, value: 'a again', size: 1, special: false });
    again.says({ type: 'yield', taskId: gen.taskId, index: 1, value: 'b', size: 1, special: false });
    again.says({ type: 'done', taskId: gen.taskId, values: [], sizes: [], special: false, start: 0, end: 1 });
    const values: unknown[] = [];
    for await (const ref of gen) values.push(...(await driver.get([ref], undefined)));
    expect(values).toEqual(['a', 'b']);
  });
});
