import type { ActorEvent, RayboxEvent } from '../../core/events.ts';
import { RecentSet } from './recent-set.ts';

/** Dead actors listed; older dead ones are forgotten (living ones are always listed). */
export const MAX_DEAD_ACTORS = 1_000;

/** Every living actor and the most recent dead ones, with latest state and placement, in creation order. */
export class ActorTable {
  #actors = new Map<string, ActorEvent>();
  #dead = new RecentSet<true>(MAX_DEAD_ACTORS, (actorId) => {
    this.#actors.delete(actorId);
    this.dropped++;
  });
  /** Dead actors forgotten to keep the cap. */
  dropped = 0;

  apply(event: RayboxEvent): boolean {
    if (event.type !== 'actor') return false;
    const known = this.#actors.get(event.actorId);
    // Later events may omit the node; keep what an earlier one said.
    this.#actors.set(event.actorId, { ...known, ...event, nodeId: event.nodeId ?? known?.nodeId, workerId: event.workerId ?? known?.workerId } as ActorEvent);
    if (event.state === 'DEAD') {
      this.#dead.set(event.actorId, true);
    } else this.#dead.delete(event.actorId);
    return true;
  }

  /** The worker an actor lives in, for task events of its method calls that do not say. */
  workerOf(actorId: string): string | undefined {
    return this.#actors.get(actorId)?.workerId;
  }

  /** The latest of an actor, with its placement. */
  get(actorId: string): ActorEvent | undefined {
    return this.#actors.get(actorId);
  }

  rows(): ActorEvent[] {
    return [...this.#actors.values()];
  }

  count(state?: ActorEvent['state']): number {
    if (!state) return this.#actors.size;
    let n = 0;
    for (const actor of this.#actors.values()) if (actor.state === state) n++;
    return n;
  }
}
