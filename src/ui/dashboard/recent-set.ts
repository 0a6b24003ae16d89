/**
 * A map that keeps only its `capacity` most recently added keys: adding one more forgets the
 * oldest. The order lives in a ring of keys beside a plain Map (a Map's own first key is slow to
 * reach once many keys were deleted from its front). Invariant: a key is in the map iff its
 * ring slot holds it; `delete` leaves a stale slot, skipped when the ring comes round to it.
 */
export class RecentSet<V> {
  readonly capacity: number;
  #map = new Map<string, { value: V; slot: number }>();
  #ring: (string | undefined)[] = [];
  /** Slot of the next key; the ring's oldest slot once it is full. */
  #next = 0;

  #evicted: ((key: string) => void) | undefined;

  /** `evicted` hears of each key forgotten to make room. */
  constructor(capacity: number, evicted?: (key: string) => void) {
    this.capacity = Math.max(0, Math.floor(capacity));
    this.#evicted = evicted;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: string): V | undefined {
    return this.#map.get(key)?.value;
  }

  /** Adds `key` as the most recent, or changes the value of a key already kept (keeping its place). */
  set(key: string, value: V): void {
    const known = this.#map.get(key);
    if (known) {
      known.value = value;
      return;
    }
    if (this.capacity === 0) return;
    const slot = this.#next;
    const old = this.#ring[slot];
    if (old !== undefined && this.#map.get(old)?.slot === slot) {
      this.#map.delete(old);
      this.#evicted?.(old);
    }
    this.#ring[slot] = key;
    this.#map.set(key, { value, slot });
    this.#next = (slot + 1) % this.capacity;
  }

  delete(key: string): void {
    const known = this.#map.get(key);
    if (!known) return;
    this.#map.delete(key);
    this.#ring[known.slot] = undefined;
  }
}
