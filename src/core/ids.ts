/**
 * Ids are short strings: a prefix naming who made them and a counter. The head uses the empty
 * prefix; each worker gets its own (`w3.`), so ids made in different realms never collide without
 * any coordination. Return objects of a task are `<taskId>.<index>`, which lets a retried task
 * produce the same object ids again.
 */
export class IdSource {
  #prefix: string;
  #next = 0;
  constructor(prefix = '') {
    this.#prefix = prefix;
  }
  taskId(): string {
    return `${this.#prefix}t${(this.#next++).toString(36)}`;
  }
  putId(): string {
    return `${this.#prefix}p${(this.#next++).toString(36)}`;
  }
  actorId(): string {
    return `${this.#prefix}a${(this.#next++).toString(36)}`;
  }
}

export function returnId(taskId: string, index: number): string {
  return `${taskId}.${index}`;
}

/** The task whose return (or yield) `objectId` is; `objectId` itself for a `put`. */
export function taskOfObject(objectId: string): string {
  const dot = objectId.lastIndexOf('.');
  return dot < 0 ? objectId : objectId.slice(0, dot);
}

/** Object id of the `index`-th value yielded by a streaming task. */
export function yieldId(taskId: string, index: number): string {
  return `${taskId}.y${index}`;
}

/** A 53-bit string hash (cyrb53), used to name function sources so workers cache them. */
export function hashSource(source: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < source.length; i++) {
    const ch = source.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
