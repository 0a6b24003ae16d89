import type { ActorEvent, RayboxEvent } from '../../core/events.ts';

/** Every actor seen, with its latest state and placement, in creation order. */
export class ActorTable {
  #actors = new Map<string, ActorEvent>();

  apply(event: RayboxEvent): boolean {
    if (event.type !== 'actor') return false;
    const known = this.#actors.get(event.actorId);
    // Later events may omit the node; keep what an earlier one said.
    this.#actors.set(event.actorId, { ...known, ...event, nodeId: event.nodeId ?? known?.nodeId, workerId: event.workerId ?? known?.workerId } as ActorEvent);
    return true;
  }

  /** The worker an actor lives in, for task events of its method calls that do not say. */
  workerOf(actorId: string): string | undefined {
    return this.#actors.get(actorId)?.workerId;
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
