import { describe, expect, it } from 'vitest';
import { TaskError, WorkerCrashedError } from '../../src/core/errors.ts';
import { taskOfObject } from '../../src/core/ids.ts';
import type { ObjectRef } from '../../src/core/object-ref.ts';
import { cluster, fn, settle } from './fake-node.ts';

/** The driver's retries: a task on a worker that died runs again while it has retries; exceptions only when asked. */
describe('Driver: retries', () => {
  it('runs a task again on another worker when its worker dies, and gives its result', async () => {
    const { driver, workerOf, statesOf } = cluster({ nodeId: 'h', numWorkers: 2 });
    const ref = driver.submitTask(fn('f'), [1], { maxRetries: 1 }) as ObjectRef;
    const taskId = taskOfObject(ref.id);
    await settle();
    const first = workerOf(taskId);
    first.crashes();
    await settle();
    const second = workerOf(taskId);
    expect(second.id).not.toBe(first.id);
    second.returns(taskId, 42);
    expect(await driver.get([ref], undefined)).toEqual([42]);
    expect(statesOf(taskId)).toEqual(['PENDING_ARGS', 'PENDING_NODE', 'RUNNING', 'PENDING_NODE', 'RUNNING', 'FINISHED']);
  });

  it('fails with WorkerCrashedError once its retries are used up', async () => {
    const { driver, workerOf } = cluster({ nodeId: 'h', numWorkers: 1 });
    const ref = driver.submitTask(fn('f'), [], { maxRetries: 1 }) as ObjectRef;
    const taskId = taskOfObject(ref.id);
    await settle();
    workerOf(taskId).crashes();
    await settle();
    workerOf(taskId).crashes();
    await settle();
    await expect(driver.get([ref], undefined)).rejects.toBeInstanceOf(WorkerCrashedError);
  });

  it('retries an exception only when retryExceptions names it, then fails with a TaskError', async () => {
    const { driver, workerOf, statesOf } = cluster({ nodeId: 'h', numWorkers: 1 });
    const retried = driver.submitTask(fn('f'), [], { maxRetries: 2, retryExceptions: ['Flaky'] }) as ObjectRef;
    const retriedId = taskOfObject(retried.id);
    await settle();
    workerOf(retriedId).throws(retriedId, 'Flaky');
    await settle();
    workerOf(retriedId).returns(retriedId, 'ok');
    expect(await driver.get([retried], undefined)).toEqual(['ok']);

    const failed = driver.submitTask(fn('g'), [], { maxRetries: 2, retryExceptions: ['Flaky'] }) as ObjectRef;
    const failedId = taskOfObject(failed.id);
    await settle();
    workerOf(failedId).throws(failedId, 'TypeError', 'not a function');
    await expect(driver.get([failed], undefined)).rejects.toBeInstanceOf(TaskError);
    expect(statesOf(retriedId).filter((s) => s === 'RUNNING')).toHaveLength(2);
    expect(statesOf(failedId).at(-1)).toBe('FAILED');
  });

  it('passes a ready result on as the argument of the next task', async () => {
    const { driver, workerOf } = cluster({ nodeId: 'h', numWorkers: 1 });
    const a = driver.submitTask(fn('a'), [], {}) as ObjectRef;
    const b = driver.submitTask(fn('b'), [a], {}) as ObjectRef;
    const aId = taskOfObject(a.id);
    const bId = taskOfObject(b.id);
    await settle();
    // b waits for its argument; it is not sent until a is done.
    expect(() => workerOf(bId)).toThrow();
    workerOf(aId).returns(aId, 7);
    await settle();
    const run = workerOf(bId).sent.find((item) => item.type === 'run' && item.taskId === bId);
    expect(run?.type === 'run' && run.args).toEqual([7]);
  });
});
