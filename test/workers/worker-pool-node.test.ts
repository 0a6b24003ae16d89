import { describe, expect, it } from 'vitest';
import type { ActorStart, TaskDispatch } from '../../src/core/node.ts';
import type { FromWorker } from '../../src/protocol/messages.ts';
import type { NodeHost, ProtocolNode } from '../../src/protocol/node-host.ts';
import { WorkerPoolNode } from '../../src/workers/host/worker-pool-node.ts';
import { FakeLink } from '../runtime/fake-node.ts';

/**
 * `WorkerPoolNode` against fake worker links and a fake head: leases, pipelining, blocked tasks
 * giving their lease back and taking it back, cancellation (asked and forced), worker deaths, and
 * what a worker may not claim. Everything a worker sends reaches the node as it would from a real
 * link (`events.items`), and a batch this small is handled at once.
 */
class FakeHost implements NodeHost {
  readonly handled: { workerId: string; type: string }[] = [];
  readonly deaths: { workerId: string; taskIds: string[]; actorIds: string[]; reason: string }[] = [];
  freed = 0;
  handle(_node: ProtocolNode, workerId: string, item: FromWorker): string | undefined {
    this.handled.push({ workerId, type: item.type });
    return undefined;
  }
  workerDied(_node: ProtocolNode, workerId: string, taskIds: string[], actorIds: string[], reason: string): void {
    this.deaths.push({ workerId, taskIds, actorIds, reason });
  }
  capacityFreed(): void {
    this.freed++;
  }
  functionSource(): string | undefined {
    return undefined;
  }
}

function setup(numWorkers = 2) {
  const links: FakeLink[] = [];
  const refusals: string[] = [];
  const host = new FakeHost();
  const node = new WorkerPoolNode(
    {
      nodeId: 'n',
      numWorkers,
      isLocal: true,
      label: 'test',
      spawn: (id, events) => {
        const link = new FakeLink(id, events);
        links.push(link);
        return link;
      },
      refused: (workerId, reason) => refusals.push(`${workerId}: ${reason}`),
    },
    host,
  );
  const link = (id: string) => links.find((l) => l.id === id) as FakeLink;
  return { node, host, links, link, refusals };
}

const noArgs = () => ({ values: [], special: false, handlers: undefined });

function task(taskId: string, fnId = 'f'): TaskDispatch {
  return { taskId, name: fnId, fnId, source: `/* ${fnId} */`, args: noArgs, numReturns: 1, streaming: false, resources: { CPU: 1 }, shape: 'CPU:1' };
}

function actor(actorId: string): ActorStart {
  return { actorId, className: 'A', fnId: 'A', source: 'class A {}', args: noArgs, resources: { CPU: 1 }, maxConcurrency: 1 };
}

const done = (taskId: string, durationMs = 0.001): FromWorker => ({ type: 'done', taskId, values: [null], sizes: [0], special: false, start: 0, end: durationMs });

describe('WorkerPoolNode (a pool of workers as a node)', () => {
  it('leases an idle worker per task, holds its CPU until the task is done, and sends a function once per worker', () => {
    const { node, host, link } = setup();
    expect(node.tryDispatch(task('t1'))).toEqual({ workerId: 'nw0', queued: false });
    expect(node.tryDispatch(task('t2'))).toEqual({ workerId: 'nw1', queued: false });
    expect(node.available().CPU).toBe(0);
    // Not measured yet, so not queued behind a running task: the node takes no more.
    expect(node.tryDispatch(task('t3'))).toBe(false);

    link('nw0').says(done('t1'));
    expect(node.available().CPU).toBe(1);
    expect(host.handled).toEqual([{ workerId: 'nw0', type: 'done' }]);
    expect(host.freed).toBeGreaterThan(0);

    expect(node.tryDispatch(task('t3'))).toEqual({ workerId: 'nw0', queued: false });
    const [first, again] = link('nw0').sent.filter((item) => item.type === 'run');
    expect(first?.type === 'run' && first.source).toBe('/* f */');
    expect(again?.type === 'run' && 'source' in again).toBe(false);
  });

  it('queues tiny tasks of one function behind the running one, as deep as their measured time allows, posting only an idle worker\'s task at once', () => {
    const { node, link } = setup(1);
    node.tryDispatch(task('t0'));
    link('nw0').says(done('t0', 0.01)); // 10 µs: deep pipelining pays
    const results = ['t1', 't2', 't3'].map((id) => node.tryDispatch(task(id)));
    expect(results).toEqual([
      { workerId: 'nw0', queued: false },
      { workerId: 'nw0', queued: true },
      { workerId: 'nw0', queued: true },
    ]);
    expect(link('nw0').runs()).toEqual(['t0', 't1', 't2', 't3']);
    // The idle worker's task goes at once; those queued behind it wait for the end of the turn.
    expect(link('nw0').sentNow).toEqual(['t0', 't1']);
    // A function of another shape waits for the lease to end.
    expect(node.tryDispatch({ ...task('g1', 'g'), resources: { CPU: 1, GPU: 0 }, shape: 'CPU:1,GPU:0' })).toBe(false);
  });

  it('gives the lease of a task blocked in get back, and the resumed task takes it back even beyond the total', () => {
    const { node, link } = setup(1);
    node.tryDispatch(task('t1'));
    expect(node.available().CPU).toBe(0);
    link('nw0').says({ type: 'get', requestId: 7, taskId: 't1', ids: ['o1'], timeout: null });
    expect(node.available().CPU).toBe(1);
    // An actor takes the freed CPU.
    expect(node.tryStartActor(actor('a1'))).toBe('nw1');
    expect(node.available().CPU).toBe(0);
    // The answer to t1's get arrives: t1 runs again and holds its CPU, oversubscribing rather than deadlocking.
    node.send('nw0', { type: 'reply', requestId: 7, ok: true, value: [1], special: false });
    expect(node.available().CPU).toBe(-1);
  });

  it('asks a worker to cancel a task, or replaces the worker when the cancel is forced', () => {
    const { node, host, links, link } = setup();
    node.tryDispatch(task('t1'));
    node.cancel('t1', false);
    expect(link('nw0').sent.at(-1)).toEqual({ type: 'cancel', taskId: 't1' });
    expect(link('nw0').terminated).toBe(false);

    node.cancel('t1', true);
    expect(link('nw0').terminated).toBe(true);
    expect(host.deaths).toEqual([{ workerId: 'nw0', taskIds: ['t1'], actorIds: [], reason: 'its worker was terminated to force-cancel another task' }]);
    expect(links.map((l) => l.id)).toEqual(['nw0', 'nw1', 'nw2']);
    expect(node.available().CPU).toBe(2);
    // What the terminated worker still had in flight to the node counts for nothing.
    link('nw0').says(done('t1'));
    expect(host.handled).toEqual([]);
  });

  it('reports the tasks and the actor of a worker that died, frees what it held, and replaces a pool worker', () => {
    const { node, host, links, link } = setup();
    expect(node.tryStartActor(actor('a1'))).toBe('nw2');
    expect(node.available().CPU).toBe(1);
    node.callActor({ taskId: 'c1', actorId: 'a1', name: 'A.m', method: 'm', args: noArgs, numReturns: 1, streaming: false });
    link('nw2').events.died('out of memory');
    expect(host.deaths).toEqual([{ workerId: 'nw2', taskIds: ['c1'], actorIds: ['a1'], reason: 'out of memory' }]);
    expect(node.available().CPU).toBe(2);
    // An actor's worker is not replaced (the head restarts the actor); a pool worker is.
    expect(links).toHaveLength(3);
    node.tryDispatch(task('t1'));
    link('nw0').events.died('crashed');
    expect(host.deaths.at(-1)).toEqual({ workerId: 'nw0', taskIds: ['t1'], actorIds: [], reason: 'crashed' });
    expect(links.map((l) => l.id)).toEqual(['nw0', 'nw1', 'nw2', 'nw3']);
  });

  it('refuses results and actor readiness a worker was never given, and changes nothing', () => {
    const { node, host, link, refusals } = setup();
    node.tryDispatch(task('t1'));
    node.tryStartActor(actor('a1'));
    link('nw1').says(done('t1'), { type: 'actorReady', actorId: 'a1' });
    expect(refusals).toEqual(["nw1: worker nw1 sent 'done' for task t1, which it was not given", "nw1: worker nw1 sent 'actorReady' for actor a1, which it does not host"]);
    expect(host.handled).toEqual([]);
    expect(node.available().CPU).toBe(0);
    link('nw0').says(done('t1'));
    expect(host.handled).toEqual([{ workerId: 'nw0', type: 'done' }]);
  });
});
