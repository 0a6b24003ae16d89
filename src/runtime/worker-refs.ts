import type { ObjectTable } from '../core/object-table.ts';

/** A worker, named by its node and its id on that node. */
export interface RefHolder {
  nodeId: string;
  workerId: string;
}

/**
 * The refs each worker holds, as counted at the head: those it was sent (inside arguments and
 * `get` answers), its own puts, the returns of tasks it submitted, the yields it took. A worker
 * gives them back as its ObjectRefs are collected (`release`); one that dies cannot, so its
 * count is given back for it here, and the objects only it held are freed.
 */
export class WorkerRefs {
  readonly #objects: ObjectTable;
  readonly #held = new Map<string, Map<string, number>>();

  constructor(objects: ObjectTable) {
    this.#objects = objects;
  }

  add(holder: RefHolder, objectId: string): void {
    this.#objects.addRef(objectId);
    const key = keyOf(holder);
    let counts = this.#held.get(key);
    if (!counts) this.#held.set(key, (counts = new Map()));
    counts.set(objectId, (counts.get(objectId) ?? 0) + 1);
  }

  /** Whether the head counted `objectId` for this worker and it has not given it all back. */
  holds(holder: RefHolder, objectId: string): boolean {
    return (this.#held.get(keyOf(holder))?.get(objectId) ?? 0) > 0;
  }

  /** Counts a worker gives back; it may give back only what it was counted for, so a bad count frees nothing of others'. */
  release(holder: RefHolder, counts: readonly unknown[]): void {
    const held = this.#held.get(keyOf(holder));
    for (const entry of counts) {
      if (!Array.isArray(entry)) continue;
      const [objectId, n] = entry as unknown[];
      if (typeof objectId !== 'string' || typeof n !== 'number' || !Number.isInteger(n)) continue;
      const had = held?.get(objectId) ?? 0;
      const released = Math.min(n, had);
      if (!(released > 0)) continue;
      if (had - released > 0) held?.set(objectId, had - released);
      else held?.delete(objectId);
      this.#objects.removeRef(objectId, released);
    }
  }

  /** The worker is gone: everything it held is given back. */
  drop(holder: RefHolder): void {
    const key = keyOf(holder);
    const held = this.#held.get(key);
    this.#held.delete(key);
    for (const [objectId, n] of held ?? []) this.#objects.removeRef(objectId, n);
  }
}

function keyOf(holder: RefHolder): string {
  return `${holder.nodeId}\u0000${holder.workerId}`;
}
