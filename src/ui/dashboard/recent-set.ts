/**
 * A map that keeps only its `capacity` most recently added keys: adding one more forgets the
 * oldest. A Map iterates in insertion order, so the oldest is always its first key.
 */
export class RecentSet<V> {
  readonly capacity: number;
  #map = new Map<string, V>();

  constructor(capacity: number) {
    this.capacity = Math.max(0, Math.floor(capacity));
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: string): V | undefined {
    return this.#map.get(key);
  }

  /** Adds or refreshes `key` as the most recent. */
  set(key: string, value: V): void {
    this.#map.delete(key);
    if (this.capacity === 0) return;
    this.#map.set(key, value);
    if (this.#map.size > this.capacity) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
  }

  /** The least recently added key. */
  oldest(): string | undefined {
    const first = this.#map.keys().next();
    return first.done ? undefined : first.value;
  }

  delete(key: string): void {
    this.#map.delete(key);
  }
}
