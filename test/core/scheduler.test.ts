import { describe, expect, it } from 'vitest';
import type { NodeInfo } from '../../src/core/events.ts';
import type { ClusterNode, Dispatched, TaskDispatch } from '../../src/core/node.ts';
import { fits, subtract, type Resources } from '../../src/core/resources.ts';
import type { Placement } from '../../src/core/scheduler/policy.ts';
import { Scheduler } from '../../src/core/scheduler/scheduler.ts';

/** A node that runs nothing: it only counts what it was given, within its free resources. */
class FakeNode implements ClusterNode {
  readonly id: string;
  readonly isLocal: boolean;
  readonly taken: string[] = [];
  #total: Resources;
  #available: Resources;
  constructor(id: string, isLocal: boolean, total: Resources) {
    this.id = id;
    this.isLocal = isLocal;
    this.#total = total;
    this.#available = { ...total };
  }
  info(): NodeInfo {
    return { nodeId: this.id, alive: true, isLocal: this.isLocal, resources: this.#total, backend: null, label: this.id, numWorkers: 1 };
  }
  total(): Resources {
    return this.#total;
  }
  available(): Resources {
    return this.#available;
  }
  backend(): null {
    return null;
  }
  take(placement: Placement): boolean {
    if (!fits(placement.resources, this.#available)) return false;
    subtract(this.#available, placement.resources);
    this.taken.push(placement.id);
    return true;
  }
  tryDispatch(_task: TaskDispatch): Dispatched | false {
    return false;
  }
  tryStartActor(): false {
    return false;
  }
  callActor(): void {}
  cancel(): void {}
  killActor(): void {}
  async shutdown(): Promise<void> {}
}

function harness() {
  const infeasible: string[] = [];
  const unplaceable: string[] = [];
  const scheduler = new Scheduler<Placement, FakeNode>({
    offer: (placement, node) => node.take(placement),
    infeasible: (placement, reason) => infeasible.push(`${placement.id}: ${reason}`),
    unplaceable: (placement) => unplaceable.push(placement.id),
  });
  return { scheduler, infeasible, unplaceable };
}

const task = (id: string, resources: Resources, strategy: Placement['strategy'] = 'DEFAULT', locality?: string): Placement => ({ id, resources, strategy, locality });

describe('Scheduler', () => {
  it('fills the local node first, then the peer with the most free CPU, in FIFO order', () => {
    const local = new FakeNode('local', true, { CPU: 1 });
    const small = new FakeNode('small', false, { CPU: 1 });
    const big = new FakeNode('big', false, { CPU: 2 });
    const { scheduler } = harness();
    for (const id of ['a', 'b', 'c', 'd', 'e']) scheduler.enqueue(task(id, { CPU: 1 }));
    scheduler.pump([small, local, big]);
    expect(local.taken).toEqual(['a']);
    expect(big.taken).toEqual(['b', 'd']);
    expect(small.taken).toEqual(['c']);
    expect(scheduler.size).toBe(1);
  });

  it('spreads SPREAD placements round robin', () => {
    const nodes = [new FakeNode('n1', true, { CPU: 4 }), new FakeNode('n2', false, { CPU: 4 }), new FakeNode('n3', false, { CPU: 4 })];
    const { scheduler } = harness();
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) scheduler.enqueue(task(id, { CPU: 1 }, 'SPREAD'));
    scheduler.pump(nodes);
    expect(nodes.map((n) => n.taken.length)).toEqual([2, 2, 2]);
  });

  it('prefers the node that holds the largest argument', () => {
    const local = new FakeNode('local', true, { CPU: 2 });
    const peer = new FakeNode('peer', false, { CPU: 2 });
    const { scheduler } = harness();
    scheduler.enqueue(task('near-data', { CPU: 1 }, 'DEFAULT', 'peer'));
    scheduler.pump([local, peer]);
    expect(peer.taken).toEqual(['near-data']);
  });

  it('keeps node affinity hard, or falls back when soft, and reports an unknown hard target', () => {
    const local = new FakeNode('local', true, { CPU: 2 });
    const peer = new FakeNode('peer', false, { CPU: 2 });
    const { scheduler, unplaceable } = harness();
    scheduler.enqueue(task('pinned', { CPU: 1 }, { nodeId: 'peer', soft: false }));
    scheduler.enqueue(task('soft', { CPU: 1 }, { nodeId: 'gone', soft: true }));
    scheduler.enqueue(task('hard', { CPU: 1 }, { nodeId: 'gone', soft: false }));
    scheduler.pump([local, peer]);
    expect(peer.taken).toEqual(['pinned']);
    expect(local.taken).toEqual(['soft']);
    expect(unplaceable).toEqual(['hard']);
  });

  it('lets an infeasible placement wait, says why once, and places it when a node that fits joins', () => {
    const local = new FakeNode('local', true, { CPU: 1 });
    const { scheduler, infeasible } = harness();
    scheduler.enqueue(task('gpu', { CPU: 1, GPU: 1 }));
    scheduler.pump([local]);
    scheduler.pump([local]);
    expect(infeasible).toHaveLength(1);
    expect(infeasible[0]).toMatch(/gpu: No node can ever provide \{ CPU: 1, GPU: 1 \}/);
    const gpuPeer = new FakeNode('gpu-peer', false, { CPU: 1, GPU: 1 });
    scheduler.pump([local, gpuPeer]);
    expect(gpuPeer.taken).toEqual(['gpu']);
    expect(scheduler.size).toBe(0);
  });

  it('skips removed placements and does not let one blocked class hold back another', () => {
    const local = new FakeNode('local', true, { CPU: 1, special: 0 });
    const { scheduler } = harness();
    scheduler.enqueue(task('big', { CPU: 8 }));
    scheduler.enqueue(task('dropped', { CPU: 1 }));
    scheduler.enqueue(task('kept', { CPU: 1 }));
    scheduler.remove('dropped');
    scheduler.pump([local]);
    expect(local.taken).toEqual(['kept']);
  });

  it('places a submission at once when nothing waits, and queues it behind what does', () => {
    const local = new FakeNode('local', true, { CPU: 1 });
    const { scheduler } = harness();
    expect(scheduler.submit(task('a', { CPU: 1 }), [local])).toBe(true);
    expect(local.taken).toEqual(['a']);
    // The node is full: b waits, and c, though it could not run either, must not pass b.
    expect(scheduler.submit(task('b', { CPU: 1 }), [local])).toBe(false);
    const wide = new FakeNode('wide', false, { CPU: 4 });
    expect(scheduler.submit(task('c', { CPU: 1 }), [local, wide])).toBe(false);
    expect(wide.taken).toEqual([]);
    expect(scheduler.size).toBe(2);
    scheduler.pump([local, wide]);
    expect(wide.taken).toEqual(['b', 'c']);
    expect(scheduler.size).toBe(0);
  });
});
