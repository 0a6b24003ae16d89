import { returnId } from '../core/ids.ts';
import type { HeldObject } from '../core/node.ts';
import type { FromWorker, ToWorker } from '../protocol/messages.ts';

/** Results at least this large stay on the peer that made them until someone needs them elsewhere. */
export const KEEP_BYTES = 1024 * 1024;

/**
 * A joiner's store of its own large results. The head learns only that they exist (and where);
 * a later task on this joiner gets them from here without a round trip through the head, and the
 * head fetches one only when it is needed elsewhere. If this joiner leaves, they are lost, and
 * the head rebuilds them from lineage.
 */
export class HeldObjects {
  #objects = new Map<string, HeldObject>();

  /** Keeps the large values of results leaving this node; the item then carries null in their place. */
  keepLarge(items: FromWorker[]): FromWorker[] {
    return items.map((item) => {
      if (item.type !== 'done' || !item.sizes.some((size) => size >= KEEP_BYTES)) return item;
      const values = item.values.slice();
      const kept: number[] = [];
      item.sizes.forEach((size, i) => {
        if (size < KEEP_BYTES) return;
        this.#objects.set(returnId(item.taskId, i), { value: values[i], special: item.special, handlers: item.handlers, size });
        values[i] = null;
        kept.push(i);
      });
      return { ...item, values, kept };
    });
  }

  /** Fills in arguments the head said this node holds. Throws if one is missing. */
  fillHeld(items: ToWorker[]): ToWorker[] {
    return items.map((item) => {
      if ((item.type !== 'run' && item.type !== 'callActor' && item.type !== 'createActor') || !item.held) return item;
      const args = item.args.slice();
      let special = item.special;
      let handlers = item.handlers;
      for (const [position, objectId] of item.held) {
        const held = this.#objects.get(objectId);
        if (!held) throw new Error(`the head named object ${objectId} as held here, but it is not`);
        args[position] = held.value;
        special ||= held.special;
        if (held.handlers) handlers = [...new Set([...(handlers ?? []), ...held.handlers])];
      }
      const { held: _held, ...rest } = item;
      return { ...rest, args, special, handlers };
    });
  }

  get(objectId: string): HeldObject | undefined {
    return this.#objects.get(objectId);
  }

  free(objectIds: string[]): void {
    for (const id of objectIds) this.#objects.delete(id);
  }

  clear(): void {
    this.#objects.clear();
  }
}
