/**
 * A reference to an object in the store, as Ray's ObjectRef. It is only an id: cheap to make, to
 * clone into tasks and to keep. Each instance counts as one reference; when the garbage collector
 * takes it, the realm that made it reports the release, and an object without references is freed.
 */
export class ObjectRef<T = unknown> {
  readonly id: string;
  /** Carries the value type for TypeScript only; never set at run time. */
  declare readonly __valueType?: T;

  constructor(id: string) {
    this.id = id;
    refHooks.created(this);
  }

  toString(): string {
    return `ObjectRef(${this.id})`;
  }

  toJSON(): { objectRef: string } {
    return { objectRef: this.id };
  }
}

export function isObjectRef(value: unknown): value is ObjectRef {
  return value instanceof ObjectRef;
}

/** How a realm learns that refs come into being; the realm's runtime installs its own. */
export interface RefHooks {
  created(ref: ObjectRef): void;
}

let refHooks: RefHooks = { created: () => {} };

export function setRefHooks(hooks: RefHooks): void {
  refHooks = hooks;
}

/**
 * Counts ObjectRef instances per id in one realm, and calls `release(id, n)` once the garbage
 * collector has taken refs. Releases are batched so a burst of collections costs one call.
 */
export class RefTracker implements RefHooks {
  #registry: FinalizationRegistry<string>;
  #pending = new Map<string, number>();
  #scheduled = false;
  #release: (counts: Map<string, number>) => void;

  constructor(release: (counts: Map<string, number>) => void) {
    this.#release = release;
    this.#registry = new FinalizationRegistry((id) => this.#collected(id));
  }

  created(ref: ObjectRef): void {
    // No unregister token: with one, the registry keeps a map entry per live ref as well, which a
    // million queued tasks pay for. `releaseNow` counts early releases instead.
    this.#registry.register(ref, ref.id);
  }

  /**
   * Releases `ref` now rather than when the collector takes it (a holder that knows it is done,
   * such as the data executor with a block it has consumed). The ref must not be used after, nor
   * be released now twice. When the collector later takes it, that release is skipped.
   */
  releaseNow(ref: ObjectRef): void {
    this.#releasedEarly.set(ref.id, (this.#releasedEarly.get(ref.id) ?? 0) + 1);
    this.#release(new Map([[ref.id, 1]]));
  }

  /** Refs of each id released by `releaseNow` whose collection is still to come. */
  #releasedEarly = new Map<string, number>();

  #collected(id: string): void {
    const early = this.#releasedEarly.get(id);
    if (early !== undefined) {
      if (early > 1) this.#releasedEarly.set(id, early - 1);
      else this.#releasedEarly.delete(id);
      return;
    }
    this.#pending.set(id, (this.#pending.get(id) ?? 0) + 1);
    if (this.#scheduled) return;
    this.#scheduled = true;
    // A macrotask, not a microtask: results posted by the same realm go out first, so the
    // receiver counts a ref sent inside a result before it sees the sender's release.
    setTimeout(() => {
      this.#scheduled = false;
      const batch = this.#pending;
      this.#pending = new Map();
      this.#release(batch);
    }, 0);
  }
}
