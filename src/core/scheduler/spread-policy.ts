import type { ClusterNode } from '../node.ts';
import type { Placement, SchedulingPolicy } from './policy.ts';

/** Ray's SPREAD: each placement starts at the node after the previous one, round robin. */
export class SpreadPolicy implements SchedulingPolicy {
  #next = 0;
  rank<N extends ClusterNode>(_placement: Placement, feasible: readonly N[]): N[] {
    if (feasible.length === 0) return [];
    const start = this.#next++ % feasible.length;
    return [...feasible.slice(start), ...feasible.slice(0, start)];
  }
}
