import type { ClusterNode } from '../node.ts';
import type { Placement, SchedulingPolicy } from './policy.ts';

/**
 * Ray's default, simplified: first the node that holds the task's largest argument (locality),
 * then the head's own workers while they have room (no network hop), then the peers with the
 * most free CPU.
 */
export class DefaultPolicy implements SchedulingPolicy {
  rank<N extends ClusterNode>(placement: Placement, feasible: readonly N[]): N[] {
    return [...feasible].sort((a, b) => {
      if (placement.locality !== undefined && (a.id === placement.locality) !== (b.id === placement.locality)) {
        return a.id === placement.locality ? -1 : 1;
      }
      if (a.isLocal !== b.isLocal) return a.isLocal ? -1 : 1;
      return (b.available()['CPU'] ?? 0) - (a.available()['CPU'] ?? 0);
    });
  }
}
