/**
 * The owner table: every object the head owns, whether it is ready, its value or error, how many
 * references to it exist anywhere, and which task makes it (its lineage). An object is freed the
 * moment its last reference goes: a ref collected in the page or a worker, or a pin held by a
 * task that takes it as an argument.
 */
export interface ObjectEntry {
  readonly id: string;
  state: 'pending' | 'ready' | 'failed';
  value: unknown;
  /** The value holds refs, actor handles or handler values, so it is re-encoded to travel. */
  special: boolean;
  /** Handler names inside the value, for the receiver to get ready. */
  handlers: string[] | undefined;
  error: Error | undefined;
  size: number;
  refs: number;
  /**
   * The node that holds the value when the head does not (a peer's large result); the value is
   * fetched from there when needed elsewhere. Undefined when the head holds it.
   */
  location: string | undefined;
  /** The task whose result this is; undefined for `put`. Used to rebuild a lost object. */
  readonly creator: string | undefined;
  callbacks: Array<() => void> | undefined;
}

export interface ObjectTableListener {
  created(entry: ObjectEntry): void;
  freed(entry: ObjectEntry): void;
}

export class ObjectTable {
  #entries = new Map<string, ObjectEntry>();
  #bytes = 0;
  #listener: ObjectTableListener;

  constructor(listener: ObjectTableListener) {
    this.#listener = listener;
  }

  get(id: string): ObjectEntry | undefined {
    return this.#entries.get(id);
  }

  /** Registers an object that a task or `put` will produce. */
  create(id: string, creator: string | undefined): ObjectEntry {
    const existing = this.#entries.get(id);
    if (existing) return existing;
    const entry: ObjectEntry = {
      id,
      state: 'pending',
      value: undefined,
      special: false,
      handlers: undefined,
      error: undefined,
      size: 0,
      refs: 0,
      location: undefined,
      creator,
      callbacks: undefined,
    };
    this.#entries.set(id, entry);
    return entry;
  }

  /** Stores a value. Returns false when nobody holds the object any more (it was freed). */
  resolve(id: string, value: unknown, size: number, special: boolean, handlers: string[] | undefined): boolean {
    const entry = this.#entries.get(id);
    if (!entry || entry.state !== 'pending') return false;
    entry.state = 'ready';
    entry.value = value;
    entry.size = size;
    entry.special = special;
    entry.handlers = handlers;
    this.#bytes += size;
    this.#listener.created(entry);
    this.#settle(entry);
    return true;
  }

  /** Records that a ready value lives on `nodeId`, not here. */
  resolveRemote(id: string, nodeId: string, size: number, special: boolean, handlers: string[] | undefined): boolean {
    const entry = this.#entries.get(id);
    if (!entry || entry.state !== 'pending') return false;
    entry.location = nodeId;
    return this.resolve(id, undefined, size, special, handlers);
  }

  /** The value fetched from the node that held it now lives here too. */
  materialized(entry: ObjectEntry, value: unknown): void {
    entry.value = value;
    entry.location = undefined;
  }

  fail(id: string, error: Error): void {
    const entry = this.#entries.get(id);
    if (!entry || entry.state !== 'pending') return;
    entry.state = 'failed';
    entry.error = error;
    this.#settle(entry);
  }

  /** Puts a ready or failed object back to pending, to be made again from its lineage. */
  reset(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry || entry.state === 'pending') return;
    if (entry.state === 'ready') this.#bytes -= entry.size;
    entry.state = 'pending';
    entry.value = undefined;
    entry.error = undefined;
    entry.size = 0;
    entry.location = undefined;
  }

  /** Calls back once the object is ready or failed (at once if it already is). */
  whenSettled(entry: ObjectEntry, callback: () => void): void {
    if (entry.state !== 'pending') callback();
    else if (entry.callbacks) entry.callbacks.push(callback);
    else entry.callbacks = [callback]; // one slot, where `push` onto `[]` reserves seventeen
  }

  addRef(id: string, count = 1): void {
    const entry = this.#entries.get(id);
    if (entry) entry.refs += count;
  }

  removeRef(id: string, count = 1): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    entry.refs -= count;
    if (entry.refs <= 0) this.#free(entry);
  }

  stats(): { count: number; bytes: number } {
    let count = 0;
    for (const entry of this.#entries.values()) if (entry.state === 'ready') count++;
    return { count, bytes: this.#bytes };
  }

  entries(): IterableIterator<ObjectEntry> {
    return this.#entries.values();
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  #free(entry: ObjectEntry): void {
    this.#entries.delete(entry.id);
    if (entry.state === 'ready') this.#bytes -= entry.size;
    entry.value = undefined;
    this.#listener.freed(entry);
  }

  #settle(entry: ObjectEntry): void {
    const callbacks = entry.callbacks;
    if (!callbacks) return;
    entry.callbacks = undefined;
    for (const callback of callbacks) callback();
  }
}
