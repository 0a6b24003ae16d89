import type { ClusterNode } from '../node.ts';
import type { Placement, SchedulingPolicy } from './policy.ts';

/**
 * Ray's default, simplified: keep work on the head's own workers while they have room (no network
 * hop), then use the peers with the most free CPU first.
 */
export class DefaultPolicy implements SchedulingPolicy {
  rank(_placement: Placement, feasible: readonly ClusterNode[]): ClusterNode[] {
    return [...feasible].sort((a, b) => {
      if (a.isLocal !== b.isLocal) return a.isLocal ? -1 : 1;
      return (b.available()['CPU'] ?? 0) - (a.available()['CPU'] ?? 0);
    });
  }
}
