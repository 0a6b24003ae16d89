import { describe, expect, it } from 'vitest';
import { taskOfObject } from '../../src/core/ids.ts';
import type { ObjectRef } from '../../src/core/object-ref.ts';
import { cls, cluster, fn, settle } from './fake-node.ts';

/**
 * Leases and pipelining through the driver: tiny tasks of one function queue behind each other in
 * one worker, announced RUNNING only when they start; a task blocked in `get` lends its CPU to the
 * next task and takes it back when its answer comes.
 */
describe('Driver: leases and pipelining', () => {
  it('queues tasks of a measured tiny function in one worker and announces each RUNNING when it starts', async () => {
    const { driver, link, statesOf } = cluster({ nodeId: 'h', numWorkers: 1 });
    const first = driver.submitTask(fn('tiny'), [], {}) as ObjectRef;
    await settle();
    link('hw0').returns(taskOfObject(first.id), 0); // measured: it runs in a microsecond
    const refs = [0, 1, 2].map(() => driver.submitTask(fn('tiny'), [], {}) as ObjectRef);
    const ids = refs.map((ref) => taskOfObject(ref.id));
    await settle();
    expect(link('hw0').runs()).toEqual([taskOfObject(first.id), ...ids]);
    // The first of them started at once; the others wait in the worker, not yet running.
    expect(statesOf(ids[0] as string).at(-1)).toBe('RUNNING');
    expect(statesOf(ids[1] as string).at(-1)).toBe('PENDING_NODE');
    link('hw0').says({ type: 'started', taskId: ids[1] as string, time: 1 });
    expect(statesOf(ids[1] as string).at(-1)).toBe('RUNNING');
    for (const id of ids) link('hw0').returns(id, id);
    expect(await driver.get(refs, undefined)).toEqual(ids);
    // A task that ends without a sign that it started is announced RUNNING just before it ends.
    expect(statesOf(ids[2] as string)).toEqual(['PENDING_ARGS', 'PENDING_NODE', 'RUNNING', 'FINISHED']);
  });

  it('lends the CPU of a task blocked in get to waiting work, and the resumed task takes it back', async () => {
    const { driver, link, links, node, workerOf } = cluster({ nodeId: 'h', numWorkers: 1 }, { nodeId: 'q', numWorkers: 1 });
    const workersConstructing = (actorId: string) => links.filter((l) => l.constructs().includes(actorId)).map((l) => l.id);
    const onQ = { schedulingStrategy: { nodeId: 'q', soft: false } };
    const onH = { schedulingStrategy: { nodeId: 'h', soft: false } };
    const slow = driver.submitTask(fn('slow'), [], onQ) as ObjectRef;
    // The ref inside an array is passed on as a ref: the worker may get it.
    const waiter = driver.submitTask(fn('waiter'), [[slow]], onH) as ObjectRef;
    const waiterId = taskOfObject(waiter.id);
    await settle();
    expect(link('hw0').runs()).toEqual([waiterId]);
    // An actor that needs h's only CPU waits for it.
    const actor = driver.createActor(cls('Holder', []), [], { numCpus: 1, ...onH });
    await settle();
    expect(node('h').available().CPU).toBe(0);
    expect(workersConstructing(actor.actorId)).toEqual([]);

    link('hw0').says({ type: 'get', requestId: 1, taskId: waiterId, ids: [slow.id], timeout: null });
    await settle();
    // The blocked task's CPU went to the actor, on a worker of its own.
    expect(workersConstructing(actor.actorId)).toEqual(['hw1']);
    expect(node('h').available().CPU).toBe(0);

    workerOf(taskOfObject(slow.id)).returns(taskOfObject(slow.id), 'slow result');
    await settle();
    const reply = link('hw0').sent.at(-1);
    expect(reply?.type === 'reply' && reply.ok && reply.value).toEqual(['slow result']);
    // Resumed, it holds its CPU again beside the actor: oversubscribed rather than deadlocked.
    expect(node('h').available().CPU).toBe(-1);
    link('hw0').returns(waiterId, 2);
    expect(await driver.get([waiter], undefined)).toEqual([2]);
    expect(node('h').available().CPU).toBe(0);
  });
});
