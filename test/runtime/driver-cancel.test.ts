import { describe, expect, it } from 'vitest';
import { TaskCancelledError } from '../../src/core/errors.ts';
import { taskOfObject } from '../../src/core/ids.ts';
import type { ObjectRef } from '../../src/core/object-ref.ts';
import { cls, cluster, fn, settle } from './fake-node.ts';

/** Cancelling a task that waits for a node, one that runs (asked, or forced), and an actor call. */
describe('Driver: cancel', () => {
  it('takes a pending task out of the queue: it fails with TaskCancelledError and is never sent', async () => {
    const { driver, workerOf, links, statesOf } = cluster({ nodeId: 'h', numWorkers: 1 });
    const running = driver.submitTask(fn('a'), [], {}) as ObjectRef;
    const pending = driver.submitTask(fn('b'), [], {}) as ObjectRef;
    const runningId = taskOfObject(running.id);
    const pendingId = taskOfObject(pending.id);
    await settle();
    expect(statesOf(pendingId).at(-1)).toBe('PENDING_NODE');
    driver.cancel(pending, { force: false, recursive: false });
    await expect(driver.get([pending], undefined)).rejects.toBeInstanceOf(TaskCancelledError);
    workerOf(runningId).returns(runningId, 1);
    await settle();
    expect(links.flatMap((l) => l.runs())).toEqual([runningId]);
    expect(statesOf(pendingId)).toEqual(['PENDING_ARGS', 'PENDING_NODE', 'CANCELLED']);
  });

  it('asks the worker of a running task to stop, and ignores the result it sends after', async () => {
    const { driver, workerOf, statesOf } = cluster({ nodeId: 'h', numWorkers: 1 });
    const ref = driver.submitTask(fn('a'), [], {}) as ObjectRef;
    const taskId = taskOfObject(ref.id);
    await settle();
    const worker = workerOf(taskId);
    driver.cancel(ref, { force: false, recursive: false });
    expect(worker.cancels()).toEqual([taskId]);
    expect(worker.terminated).toBe(false);
    worker.returns(taskId, 'too late');
    await expect(driver.get([ref], undefined)).rejects.toBeInstanceOf(TaskCancelledError);
    expect(statesOf(taskId).at(-1)).toBe('CANCELLED');
  });

  it('terminates the worker of a running task when forced, does not retry it, and runs the next task on a new worker', async () => {
    const { driver, workerOf, links, statesOf } = cluster({ nodeId: 'h', numWorkers: 1 });
    const ref = driver.submitTask(fn('a'), [], { maxRetries: 3 }) as ObjectRef;
    const taskId = taskOfObject(ref.id);
    await settle();
    const worker = workerOf(taskId);
    driver.cancel(ref, { force: true, recursive: false });
    expect(worker.terminated).toBe(true);
    await expect(driver.get([ref], undefined)).rejects.toBeInstanceOf(TaskCancelledError);
    const next = driver.submitTask(fn('b'), [], {}) as ObjectRef;
    const nextId = taskOfObject(next.id);
    await settle();
    expect(workerOf(nextId).id).not.toBe(worker.id);
    expect(links.flatMap((l) => l.runs())).toEqual([taskId, nextId]);
    expect(statesOf(taskId)).toEqual(['PENDING_ARGS', 'PENDING_NODE', 'RUNNING', 'CANCELLED']);
  });

  it('never terminates an actor for a forced cancel of one of its calls', async () => {
    const { driver, link } = cluster({ nodeId: 'h', numWorkers: 1 });
    const actor = driver.createActor(cls('Counter', ['add']), [], {});
    await settle();
    const worker = link('hw1');
    expect(worker.constructs()).toEqual([actor.actorId]);
    worker.says({ type: 'actorReady', actorId: actor.actorId });
    const call = driver.callActor(actor, 'add', [1], {}, false) as ObjectRef;
    const callId = taskOfObject(call.id);
    await settle();
    expect(worker.runs()).toEqual([callId]);
    driver.cancel(call, { force: true, recursive: false });
    expect(worker.terminated).toBe(false);
    expect(worker.cancels()).toEqual([callId]);
    await expect(driver.get([call], undefined)).rejects.toBeInstanceOf(TaskCancelledError);
  });

  it('cancels what a context submitted, and what is submitted in it later', async () => {
    const { driver, statesOf } = cluster({ nodeId: 'h', numWorkers: 1 });
    driver.setSubmissionContext('cell-1');
    const first = driver.submitTask(fn('a'), [], {}) as ObjectRef;
    driver.setSubmissionContext(null);
    const other = driver.submitTask(fn('b'), [], {}) as ObjectRef;
    await settle();
    expect(driver.cancelContext('cell-1')).toEqual([taskOfObject(first.id)]);
    driver.setSubmissionContext('cell-1');
    const late = driver.submitTask(fn('c'), [], {}) as ObjectRef;
    driver.setSubmissionContext(null);
    await settle();
    expect(statesOf(taskOfObject(first.id)).at(-1)).toBe('CANCELLED');
    expect(statesOf(taskOfObject(late.id)).at(-1)).toBe('CANCELLED');
    expect(statesOf(taskOfObject(other.id)).at(-1)).not.toBe('CANCELLED');
  });
});
