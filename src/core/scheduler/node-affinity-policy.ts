import type { ClusterNode } from '../node.ts';
import type { Placement, SchedulingPolicy } from './policy.ts';
import { DefaultPolicy } from './default-policy.ts';

/**
 * `{ nodeId, soft }`: only that node; with `soft`, any node when that one is gone or cannot ever
 * fit the request, as Ray's NodeAffinitySchedulingStrategy.
 */
export class NodeAffinityPolicy implements SchedulingPolicy {
  #fallback = new DefaultPolicy();
  rank<N extends ClusterNode>(placement: Placement, feasible: readonly N[]): N[] {
    const strategy = placement.strategy;
    if (typeof strategy !== 'object') return this.#fallback.rank(placement, feasible);
    const target = feasible.find((node) => node.id === strategy.nodeId);
    if (target) return strategy.soft ? [target, ...this.#fallback.rank(placement, feasible.filter((n) => n !== target))] : [target];
    return strategy.soft ? this.#fallback.rank(placement, feasible) : [];
  }
}
