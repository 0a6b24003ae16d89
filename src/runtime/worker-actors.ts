import type { RefHolder } from './worker-refs.ts';

/**
 * The actor handles each worker was handed, as the head sent them: inside arguments and `get`
 * answers, or the actors it created itself. A worker may call or kill only an actor whose handle
 * it holds (or a named one, which any worker may look up), so a peer cannot reach actors it was
 * never given by guessing their ids.
 */
export class WorkerActors {
  readonly #held = new Map<string, Set<string>>();

  add(holder: RefHolder, actorId: string): void {
    const key = keyOf(holder);
    let actors = this.#held.get(key);
    if (!actors) this.#held.set(key, (actors = new Set()));
    actors.add(actorId);
  }

  holds(holder: RefHolder, actorId: string): boolean {
    return this.#held.get(keyOf(holder))?.has(actorId) ?? false;
  }

  /** The worker is gone. */
  drop(holder: RefHolder): void {
    this.#held.delete(keyOf(holder));
  }
}

function keyOf(holder: RefHolder): string {
  return `${holder.nodeId}\u0000${holder.workerId}`;
}
