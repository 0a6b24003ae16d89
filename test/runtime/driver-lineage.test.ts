import { describe, expect, it } from 'vitest';
import { ObjectLostError } from '../../src/core/errors.ts';
import { taskOfObject } from '../../src/core/ids.ts';
import type { ObjectRef } from '../../src/core/object-ref.ts';
import { cluster, fn, settle } from './fake-node.ts';

/** Lineage: a result whose only copy left with a peer is rebuilt by running its task again, while retries allow. */
describe('Driver: lineage reconstruction', () => {
  const onPeer = { schedulingStrategy: { nodeId: 'p', soft: true } };

  it('runs the task of a result its peer kept again elsewhere once the peer leaves', async () => {
    const { driver, node, workerOf, statesOf } = cluster({ nodeId: 'h', numWorkers: 1 }, { nodeId: 'p', numWorkers: 1, isLocal: false });
    const ref = driver.submitTask(fn('big'), [], { maxRetries: 1, ...onPeer }) as ObjectRef;
    const taskId = taskOfObject(ref.id);
    await settle();
    expect(workerOf(taskId).id).toBe('pw0');
    workerOf(taskId).returns(taskId, 'at the peer', [0]);
    await settle();
    driver.removeNode(node('p'));
    await settle();
    expect(workerOf(taskId).id).toBe('hw0');
    workerOf(taskId).returns(taskId, 'rebuilt');
    expect(await driver.get([ref], undefined)).toEqual(['rebuilt']);
    expect(statesOf(taskId)).toEqual(['PENDING_ARGS', 'PENDING_NODE', 'RUNNING', 'FINISHED', 'PENDING_ARGS', 'PENDING_NODE', 'RUNNING', 'FINISHED']);
  });

  it('fails the lost result with ObjectLostError when its task has no retries left', async () => {
    const { driver, node, workerOf, links } = cluster({ nodeId: 'h', numWorkers: 1 }, { nodeId: 'p', numWorkers: 1, isLocal: false });
    const ref = driver.submitTask(fn('big'), [], { maxRetries: 0, ...onPeer }) as ObjectRef;
    const taskId = taskOfObject(ref.id);
    await settle();
    workerOf(taskId).returns(taskId, 'at the peer', [0]);
    await settle();
    driver.removeNode(node('p'));
    await expect(driver.get([ref], undefined)).rejects.toBeInstanceOf(ObjectLostError);
    expect(links.flatMap((l) => l.runs())).toEqual([taskId]);
  });

  it('rebuilds the argument of a waiting task that the peer cannot hand over, and runs the task on the rebuilt value', async () => {
    const { driver, workerOf, statesOf } = cluster({ nodeId: 'h', numWorkers: 1 }, { nodeId: 'p', numWorkers: 1, isLocal: false });
    const big = driver.submitTask(fn('big'), [], { maxRetries: 1, ...onPeer }) as ObjectRef;
    const bigId = taskOfObject(big.id);
    await settle();
    workerOf(bigId).returns(bigId, 'at the peer', [0]);
    await settle();
    // A task on the head's node needs it: fetching it from the peer fails (it holds no store here).
    const user = driver.submitTask(fn('user'), [big], { schedulingStrategy: { nodeId: 'h', soft: false } }) as ObjectRef;
    const userId = taskOfObject(user.id);
    await settle();
    await settle();
    // The big task ran again, at the peer (its preferred node, still there); the user waits for it.
    expect(workerOf(bigId).runs().filter((id) => id === bigId)).toHaveLength(2);
    expect(() => workerOf(userId)).toThrow();
    workerOf(bigId).returns(bigId, 'rebuilt');
    await settle();
    const run = workerOf(userId).sent.find((item) => item.type === 'run' && item.taskId === userId);
    expect(run?.type === 'run' && run.args).toEqual(['rebuilt']);
    // Offered while its argument was being rebuilt, it went back to waiting for its arguments.
    expect(statesOf(userId).slice(0, 4)).toEqual(['PENDING_ARGS', 'PENDING_NODE', 'PENDING_ARGS', 'PENDING_NODE']);
  });
});
