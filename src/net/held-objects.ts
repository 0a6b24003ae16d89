import { returnId } from '../core/ids.ts';
import type { HeldObject } from '../core/node.ts';
import type { FromWorker, ToWorker } from '../protocol/messages.ts';
import { holdsHandles } from '../protocol/value-codec.ts';

/** Results at least this large stay on the peer that made them until someone needs them elsewhere. */
export const KEEP_BYTES = 1024 * 1024;

/** How long a request waits for an object its worker is still handing over. */
const ARRIVAL_MS = 2_000;

/**
 * Where a joiner keeps its own large results: the head learns only that they exist (and where);
 * a later task on this joiner gets them from here without a round trip through the head, and the
 * head fetches one only when it is needed elsewhere. If this joiner leaves, they are lost, and
 * the head rebuilds them from lineage.
 */
export interface HeldStore {
  keep(objectId: string, object: HeldObject): void;
  /** The objects, in order; undefined for one this node does not hold. */
  get(objectIds: string[]): Promise<Array<HeldObject | undefined>>;
}

/**
 * Keeps the large values of results leaving a worker (through `keep`); each such item then
 * carries null in their place and lists their positions in `kept`.
 */
export function keepLarge(items: FromWorker[], keep: (objectId: string, object: HeldObject) => void): FromWorker[] {
  return items.map((item) => {
    if (item.type !== 'done' || !item.sizes.some((size) => size >= KEEP_BYTES)) return item;
    const values = item.values.slice();
    const kept: number[] = [];
    item.sizes.forEach((size, i) => {
      // A value holding refs or actor handles goes to the head, which counts them for whoever
      // receives it (a worker may use only the refs and handles the head counted for it).
      if (size < KEEP_BYTES || (item.special && holdsHandles(values[i]))) return;
      keep(returnId(item.taskId, i), { value: values[i], special: item.special === true, handlers: item.handlers, size });
      values[i] = null;
      kept.push(i);
    });
    return { ...item, values, kept };
  });
}

/** The ids of the objects the head said `items` take from this node's store. */
export function heldIds(items: readonly ToWorker[]): string[] {
  const ids: string[] = [];
  for (const item of items) {
    if ((item.type === 'run' || item.type === 'callActor' || item.type === 'createActor') && item.held) {
      for (const [, objectId] of item.held) ids.push(objectId);
    }
  }
  return ids;
}

/** Fills in the arguments the head said this node holds. Throws if one is missing. */
export function fillHeld(items: ToWorker[], lookup: (objectId: string) => HeldObject | undefined): ToWorker[] {
  return items.map((item) => {
    if ((item.type !== 'run' && item.type !== 'callActor' && item.type !== 'createActor') || !item.held) return item;
    const args = item.args.slice();
    let special = item.special;
    let handlers = item.handlers;
    for (const [position, objectId] of item.held) {
      const held = lookup(objectId);
      if (!held) throw new Error(`the head named object ${objectId} as held here, but it is not`);
      args[position] = held.value;
      special ||= held.special;
      if (held.handlers) handlers = [...new Set([...(handlers ?? []), ...held.handlers])];
    }
    const { held: _held, ...rest } = item;
    return { ...rest, args, special, handlers };
  });
}

/** The store itself, in a joiner's sandbox page: its workers keep objects here and ask for them. */
export class HeldObjects implements HeldStore {
  #objects = new Map<string, HeldObject>();
  /** Requests for objects not here yet: a worker's hand-over may still be on its way. */
  #waiting = new Map<string, Array<(object: HeldObject) => void>>();

  keep(objectId: string, object: HeldObject): void {
    this.#objects.set(objectId, object);
    const waiting = this.#waiting.get(objectId);
    this.#waiting.delete(objectId);
    for (const resolve of waiting ?? []) resolve(object);
  }

  get(objectIds: string[]): Promise<Array<HeldObject | undefined>> {
    return Promise.all(objectIds.map((id) => this.#arrival(id)));
  }

  #arrival(objectId: string): Promise<HeldObject | undefined> | HeldObject {
    const object = this.#objects.get(objectId);
    if (object) return object;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const list = this.#waiting.get(objectId)?.filter((r) => r !== done);
        if (list && list.length > 0) this.#waiting.set(objectId, list);
        else this.#waiting.delete(objectId);
        resolve(undefined);
      }, ARRIVAL_MS);
      const done = (held: HeldObject) => {
        clearTimeout(timer);
        resolve(held);
      };
      this.#waiting.set(objectId, [...(this.#waiting.get(objectId) ?? []), done]);
    });
  }

  free(objectIds: string[]): void {
    for (const id of objectIds) this.#objects.delete(id);
  }

  clear(): void {
    this.#objects.clear();
  }
}
