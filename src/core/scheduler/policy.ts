import type { ClusterNode } from '../node.ts';
import type { SchedulingStrategy } from '../options.ts';
import type { Resources } from '../resources.ts';

/** What the scheduler places: a task or an actor, by its resources and strategy. */
export interface Placement {
  readonly id: string;
  readonly resources: Resources;
  readonly strategy: SchedulingStrategy;
  /** The node holding its largest argument, where it runs best (no transfer). */
  readonly locality?: string | undefined;
}

/**
 * A scheduling policy orders the nodes that could ever run a placement, best first. The scheduler
 * then offers the placement to each in turn until one takes it. Nodes whose total resources can
 * never fit the request are already filtered out.
 */
export interface SchedulingPolicy {
  rank<N extends ClusterNode>(placement: Placement, feasible: readonly N[]): N[];
}

/** A random source in [0, 1); injected so tests can fix it. */
export type RandomSource = () => number;
