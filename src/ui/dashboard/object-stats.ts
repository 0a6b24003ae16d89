import type { RayboxEvent } from '../../core/events.ts';

/**
 * Objects in the store and their bytes, from creation and release events. Only objects whose
 * creation was seen are counted, so a release of an older one cannot drive the totals negative.
 */
export class ObjectStats {
  #sizes = new Map<string, number>();
  #bytes = 0;
  created = 0;
  released = 0;

  apply(event: RayboxEvent): boolean {
    if (event.type !== 'object') return false;
    if (event.change === 'created') {
      const previous = this.#sizes.get(event.objectId);
      if (previous !== undefined) this.#bytes -= previous;
      this.#sizes.set(event.objectId, event.size);
      this.#bytes += event.size;
      this.created++;
    } else {
      const size = this.#sizes.get(event.objectId);
      if (size === undefined) return false;
      this.#sizes.delete(event.objectId);
      this.#bytes -= size;
      this.released++;
    }
    return true;
  }

  get count(): number {
    return this.#sizes.size;
  }

  get bytes(): number {
    return this.#bytes;
  }
}
