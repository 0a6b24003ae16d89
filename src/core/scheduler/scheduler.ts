import type { ClusterNode } from '../node.ts';
import { fits, shapeKey } from '../resources.ts';
import { DefaultPolicy } from './default-policy.ts';
import { NodeAffinityPolicy } from './node-affinity-policy.ts';
import type { Placement, SchedulingPolicy } from './policy.ts';
import { SpreadPolicy } from './spread-policy.ts';

export interface SchedulerHooks<P extends Placement, N extends ClusterNode> {
  /** Offers the placement to a node; true when the node took it. */
  offer(placement: P, node: N): boolean;
  /** Called once per placement that no node can ever run; it keeps waiting, as in Ray. */
  infeasible(placement: P, reason: string): void;
  /** A hard node-affinity target that is gone: the placement can never run. */
  unplaceable(placement: P, reason: string): void;
}

/**
 * Queues placements by scheduling class (resource shape and strategy) and offers them to nodes.
 * Within a class the order is FIFO, and when the head of a class finds no node, the rest of that
 * class waits too: that keeps a pass cheap with a million queued tasks. `N` is the kind of node
 * the caller hands to `pump` and gets back in `offer` (the driver's nodes speak the protocol).
 */
export class Scheduler<P extends Placement, N extends ClusterNode = ClusterNode> {
  #classes = new Map<string, { queue: P[]; head: number }>();
  #infeasibleReported = new Set<string>();
  #removed = new Set<string>();
  #size = 0;
  #policies: Record<'DEFAULT' | 'SPREAD' | 'AFFINITY', SchedulingPolicy> = {
    DEFAULT: new DefaultPolicy(),
    SPREAD: new SpreadPolicy(),
    AFFINITY: new NodeAffinityPolicy(),
  };
  #hooks: SchedulerHooks<P, N>;

  constructor(hooks: SchedulerHooks<P, N>) {
    this.#hooks = hooks;
  }

  get size(): number {
    return this.#size;
  }

  enqueue(placement: P): void {
    const key = classKey(placement);
    let cls = this.#classes.get(key);
    if (!cls) this.#classes.set(key, (cls = { queue: [], head: 0 }));
    cls.queue.push(placement);
    this.#size++;
  }

  /**
   * Places `placement` now when nothing is queued, so it passes no one; otherwise, or when no
   * node takes it now, queues it. Saves a ready task the turn it would wait for the next pump.
   * @returns whether it left (placed, or refused for good), as `pump` counts it
   */
  submit(placement: P, nodes: readonly N[]): boolean {
    if (this.#size === 0 && this.#place(placement, nodes)) return true;
    this.enqueue(placement);
    return false;
  }

  /** Drops a queued placement (a cancelled task). Cheap: it is skipped when reached. */
  remove(id: string): void {
    this.#removed.add(id);
  }

  /** Offers queued placements to nodes until every class is placed or blocked. */
  pump(nodes: readonly N[]): void {
    for (const [key, cls] of this.#classes) {
      while (cls.head < cls.queue.length) {
        const placement = cls.queue[cls.head] as P;
        if (this.#removed.delete(placement.id)) {
          this.#advance(cls);
          continue;
        }
        if (!this.#place(placement, nodes)) break;
        this.#advance(cls);
      }
      if (cls.head >= cls.queue.length) this.#classes.delete(key);
    }
  }

  #advance(cls: { queue: P[]; head: number }): void {
    cls.head++;
    this.#size--;
    // Compact now and then so a long-lived queue does not keep placed items alive.
    if (cls.head > 1024 && cls.head * 2 > cls.queue.length) {
      cls.queue = cls.queue.slice(cls.head);
      cls.head = 0;
    }
  }

  #place(placement: P, nodes: readonly N[]): boolean {
    const feasible = nodes.filter((node) => fits(placement.resources, node.total()));
    const strategy = placement.strategy;
    const policy =
      strategy === 'SPREAD' ? this.#policies.SPREAD : typeof strategy === 'object' ? this.#policies.AFFINITY : this.#policies.DEFAULT;
    const ranked = policy.rank(placement, feasible);
    if (ranked.length === 0) {
      if (typeof strategy === 'object' && !strategy.soft && !nodes.some((n) => n.id === strategy.nodeId)) {
        this.#hooks.unplaceable(placement, `node ${strategy.nodeId} is not in the cluster (hard node affinity)`);
        return true;
      }
      if (!this.#infeasibleReported.has(placement.id)) {
        this.#infeasibleReported.add(placement.id);
        this.#hooks.infeasible(placement, infeasibleReason(placement, nodes));
      }
      return false;
    }
    this.#infeasibleReported.delete(placement.id);
    for (const node of ranked) if (this.#hooks.offer(placement, node)) return true;
    return false;
  }
}

function classKey(placement: Placement): string {
  const s = placement.strategy;
  const strategy = typeof s === 'object' ? `${s.nodeId}/${s.soft}` : s;
  return `${shapeKey(placement.resources)}|${strategy}`;
}

function infeasibleReason(placement: Placement, nodes: readonly ClusterNode[]): string {
  const wanted = Object.entries(placement.resources)
    .map(([name, amount]) => `${name}: ${amount}`)
    .join(', ');
  const have = nodes.map((n) => `${n.id} has ${JSON.stringify(n.total())}`).join('; ') || 'no nodes';
  return (
    `No node can ever provide { ${wanted} } (${have}). The task waits until such a node joins, as in Ray; ` +
    'lower the request, or start raybox with more workers or custom resources in init({ resources }).'
  );
}
