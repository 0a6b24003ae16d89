import { RayboxError } from '../../core/errors.ts';
import { registerLoadOnArrival } from '../../protocol/value-handler.ts';

/**
 * Members of a worker's global `raybox` that load on first use, as `tf` does: the libraries behind
 * them (Ray Data's CSV and Parquet readers, Serve's router and body validation, Tune, RLlib) are
 * more code than the worker's own runtime, and a worker that only runs plain tasks should not pay
 * for them at boot. A function whose source names `raybox.<name>` gets that member loaded before
 * it first runs; a source that names `raybox` but no member in a way this cannot see (`const {
 * data } = raybox`, `raybox[name]`) gets all of them.
 *
 * A library's values can also reach a task whose source never names the library (a
 * `DataIterator` as an argument, a training `Checkpoint` handed to a predictor): each member
 * declares the value kinds it decodes, and such a value's arrival loads the member first.
 */

/** How a member loads: its loader, and the value kinds (value-handler names) its library decodes. */
export type LazyMember = (() => Promise<unknown>) | { load: () => Promise<unknown>; decodes: readonly string[] };

/** A lazy member read before it was loaded: its code never named it, so nothing loaded it. */
export class LazyApiNotLoadedError extends RayboxError {
  override readonly name = 'LazyApiNotLoadedError';
  readonly member: string;
  constructor(member: string) {
    super(
      `raybox.${member} is not loaded in this worker yet. It loads before a task or actor whose source mentions ` +
        `'raybox.${member}': write raybox.${member} in the function's or class's own code (not only in a helper it receives).`,
    );
    this.member = member;
  }
  override details(): Record<string, unknown> {
    return { member: this.member };
  }
}

/** Names a member on the global: `raybox.data`, `raybox . serve`. */
const memberMention = /(?:^|[^\w$.])raybox\s*\.\s*([A-Za-z_$][\w$]*)/g;
/** `raybox` itself used other than by a member access (destructuring, an index, passed along). */
const bareMention = /(?:^|[^\w$.])raybox\b(?!\s*\.)/;

export class LazyApi {
  readonly #loaders: ReadonlyMap<string, () => Promise<unknown>>;
  readonly #loaded = new Map<string, unknown>();
  readonly #loading = new Map<string, Promise<void>>();
  #target: Record<string, unknown> | undefined;

  constructor(members: Record<string, LazyMember>) {
    this.#loaders = new Map(Object.entries(members).map(([name, member]) => [name, typeof member === 'function' ? member : member.load]));
    for (const [name, member] of Object.entries(members)) {
      if (typeof member === 'function') continue;
      for (const kind of member.decodes) registerLoadOnArrival(kind, () => this.load([name]));
    }
  }

  get names(): string[] {
    return [...this.#loaders.keys()];
  }

  isLoaded(name: string): boolean {
    return this.#loaded.has(name);
  }

  /**
   * Puts the members on `target` (the global `raybox`): each is its module once loaded; read
   * before that, it throws `LazyApiNotLoadedError`.
   */
  install(target: Record<string, unknown>): void {
    this.#target = target;
    for (const name of this.#loaders.keys()) {
      Object.defineProperty(target, name, {
        configurable: true,
        enumerable: true,
        get: () => {
          if (!this.#loaded.has(name)) throw new LazyApiNotLoadedError(name);
          return this.#loaded.get(name);
        },
      });
    }
  }

  /** The members `source` needs loaded before it runs and that are not yet; none in the common case, at the cost of one `includes`. */
  needs(source: string): string[] {
    if (!source.includes('raybox')) return [];
    const wanted = new Set<string>();
    for (const match of source.matchAll(memberMention)) {
      const name = match[1] ?? '';
      if (this.#loaders.has(name)) wanted.add(name);
    }
    if (bareMention.test(source)) for (const name of this.#loaders.keys()) wanted.add(name);
    return [...wanted].filter((name) => !this.#loaded.has(name));
  }

  /** `prepare` for the function cache: a loader when `source` needs a member not yet loaded. */
  prepare(source: string): (() => Promise<void>) | null {
    const names = this.needs(source);
    return names.length === 0 ? null : () => this.load(names);
  }

  /** Loads `names` (each once, however many ask at the same time). */
  async load(names: readonly string[]): Promise<void> {
    await Promise.all(names.map((name) => this.#loadOne(name)));
  }

  #loadOne(name: string): Promise<void> {
    if (this.#loaded.has(name)) return Promise.resolve();
    const loader = this.#loaders.get(name);
    if (!loader) return Promise.reject(new RayboxError(`raybox.${name} is not a member that loads on use; members that do: ${this.names.join(', ')}.`));
    let loading = this.#loading.get(name);
    if (!loading) {
      loading = loader().then(
        (value) => {
          this.#loaded.set(name, value);
          this.#loading.delete(name);
          // From now on a plain property: no getter on the hot path.
          if (this.#target) Object.defineProperty(this.#target, name, { configurable: true, enumerable: true, writable: true, value });
        },
        (error: unknown) => {
          this.#loading.delete(name);
          throw error;
        },
      );
      this.#loading.set(name, loading);
    }
    return loading;
  }
}
