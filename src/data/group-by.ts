import { requireColumn, toColumn, type Block, type Column } from './block.ts';
import { aggregateColumn, compareValues, type Aggregation } from './all-to-all.ts';

/** Small non-negative integer keys (the common case: codes, classes, buckets) index a table directly. */
const DIRECT = 1 << 16;

/**
 * Numbers the distinct values of a key column, block after block, as a columnar hash aggregation
 * does (pandas' factorize, Arrow's hash kernels): a numeric key is looked up in a direct table
 * when it is a small non-negative integer, else in an open-addressing table of doubles; only
 * keys of other types (strings, booleans, mixed columns) go through a `Map`. No object is made
 * per row.
 */
export class KeyIndex {
  readonly keys: unknown[] = [];
  readonly #direct = new Int32Array(DIRECT).fill(-1);
  #slots = new Float64Array(1024);
  #ids = new Int32Array(1024).fill(-1);
  #used = 0;
  #nan = -1;
  readonly #other = new Map<unknown, number>();
  /** Scratch for a double's bits, to hash it. */
  readonly #bits = new Float64Array(1);
  readonly #words = new Int32Array(this.#bits.buffer);

  /** Each row's group number. */
  ids(col: Column, numRows: number): Int32Array {
    const out = new Int32Array(numRows);
    if (col instanceof Float64Array) {
      const direct = this.#direct;
      for (let i = 0; i < numRows; i++) {
        const v = col[i] as number;
        if ((v | 0) === v && v >= 0 && v < DIRECT) {
          let g = direct[v] as number;
          if (g < 0) g = direct[v] = this.#add(v + 0); // + 0 turns -0 into 0
          out[i] = g;
        } else out[i] = this.#hashed(v);
      }
    } else {
      for (let i = 0; i < numRows; i++) out[i] = this.#value(col[i]);
    }
    return out;
  }

  #add(key: unknown): number {
    this.keys.push(key);
    return this.keys.length - 1;
  }

  #hashed(v: number): number {
    if (v !== v) return this.#nan >= 0 ? this.#nan : (this.#nan = this.#add(NaN));
    this.#bits[0] = v;
    let h = Math.imul((this.#words[0] as number) ^ Math.imul(this.#words[1] as number, 0x85ebca6b), 0x9e3779b1);
    h ^= h >>> 15;
    const mask = this.#ids.length - 1;
    let s = h & mask;
    for (;;) {
      const g = this.#ids[s] as number;
      if (g < 0) break;
      if (this.#slots[s] === v) return g;
      s = (s + 1) & mask;
    }
    const g = this.#add(v);
    this.#slots[s] = v;
    this.#ids[s] = g;
    if (++this.#used * 2 > this.#ids.length) this.#grow();
    return g;
  }

  #grow(): void {
    const slots = this.#slots;
    const ids = this.#ids;
    this.#slots = new Float64Array(slots.length * 2);
    this.#ids = new Int32Array(ids.length * 2).fill(-1);
    this.#used = 0;
    for (let s = 0; s < ids.length; s++) {
      const g = ids[s] as number;
      if (g < 0) continue;
      this.#reinsert(slots[s] as number, g);
    }
  }

  #reinsert(v: number, g: number): void {
    this.#bits[0] = v;
    let h = Math.imul((this.#words[0] as number) ^ Math.imul(this.#words[1] as number, 0x85ebca6b), 0x9e3779b1);
    h ^= h >>> 15;
    const mask = this.#ids.length - 1;
    let s = h & mask;
    while ((this.#ids[s] as number) >= 0) s = (s + 1) & mask;
    this.#slots[s] = v;
    this.#ids[s] = g;
    this.#used++;
  }

  /** A key that is not in a numeric column: numbers still share groups with numeric blocks' keys. */
  #value(v: unknown): number {
    if (typeof v === 'number') {
      if ((v | 0) === v && v >= 0 && v < DIRECT) {
        const g = this.#direct[v] as number;
        return g >= 0 ? g : (this.#direct[v] = this.#add(v + 0));
      }
      return this.#hashed(v);
    }
    const key = v === undefined ? null : v;
    let g = this.#other.get(key);
    if (g === undefined) this.#other.set(key, (g = this.#add(key)));
    return g;
  }
}

/**
 * Group rows by key and aggregate each group: every block's key column is numbered by group
 * (`KeyIndex`), then each numeric column accumulates into per-group typed arrays in one loop per
 * block. Blocks are not concatenated first. Groups come out sorted by key, as in Ray.
 */
export function groupAggregate(blocks: Block[], key: string, aggs: Aggregation[]): Block[] {
  const live = blocks.filter((b) => b.numRows > 0);
  if (live.length === 0) return [];
  for (const b of live) {
    requireColumn(b, key, 'groupBy');
    for (const a of aggs) if (a.column !== undefined) requireColumn(b, a.column, `groupBy('${key}').${a.kind}`);
  }
  const index = new KeyIndex();
  const ids = live.map((b) => index.ids(b.columns[key] as Column, b.numRows));
  const numGroups = index.keys.length;
  const keys = index.keys;
  const order = Array.from({ length: numGroups }, (_, g) => g).sort((a, b) => compareValues(keys[a], keys[b]));
  const columns: Record<string, Column> = { [key]: toColumn(order.map((g) => keys[g])) };
  for (const a of aggs) {
    const cols = live.map((b) => (a.column === undefined ? undefined : b.columns[a.column]));
    const numeric = cols.every((c) => c === undefined || c instanceof Float64Array);
    const perGroup = numeric ? numericGroups(cols as (Float64Array | undefined)[], ids, numGroups, a.kind) : genericGroups(cols as Column[], ids, numGroups, a.kind);
    columns[a.name] = toColumn(order.map((g) => perGroup[g]));
  }
  return [{ numRows: numGroups, columns }];
}

/** One tight loop per block and aggregation; NaN (a missing number) is skipped, as Ray skips nulls. */
function numericGroups(cols: (Float64Array | undefined)[], ids: Int32Array[], groups: number, kind: Aggregation['kind']): unknown[] {
  const count = new Float64Array(groups);
  const acc = new Float64Array(groups).fill(kind === 'min' ? Infinity : kind === 'max' ? -Infinity : 0);
  const sumSq = kind === 'std' ? new Float64Array(groups) : undefined;
  for (let b = 0; b < ids.length; b++) {
    const g = ids[b] as Int32Array;
    const col = cols[b];
    const n = g.length;
    if (!col || kind === 'count') {
      for (let i = 0; i < n; i++) count[g[i] as number]!++;
    } else if (kind === 'sum' || kind === 'mean') {
      for (let i = 0; i < n; i++) {
        const v = col[i] as number;
        if (v !== v) continue;
        const k = g[i] as number;
        acc[k]! += v;
        count[k]!++;
      }
    } else if (kind === 'min' || kind === 'max') {
      const min = kind === 'min';
      for (let i = 0; i < n; i++) {
        const v = col[i] as number;
        if (v !== v) continue;
        const k = g[i] as number;
        count[k]!++;
        if (min ? v < (acc[k] as number) : v > (acc[k] as number)) acc[k] = v;
      }
    } else {
      const sq = sumSq as Float64Array;
      for (let i = 0; i < n; i++) {
        const v = col[i] as number;
        if (v !== v) continue;
        const k = g[i] as number;
        acc[k]! += v;
        sq[k]! += v * v;
        count[k]!++;
      }
    }
  }
  const out = new Array<unknown>(groups);
  for (let k = 0; k < groups; k++) {
    const n = count[k] as number;
    const a = acc[k] as number;
    if (kind === 'count') out[k] = n;
    else if (kind === 'sum') out[k] = a;
    else if (n === 0) out[k] = null;
    else if (kind === 'min' || kind === 'max') out[k] = a;
    else if (kind === 'mean') out[k] = a / n;
    else {
      // Sample standard deviation (ddof = 1), as Ray's Std.
      const mean = a / n;
      out[k] = n < 2 ? 0 : Math.sqrt(Math.max(0, ((sumSq as Float64Array)[k] as number) - n * mean * mean) / (n - 1));
    }
  }
  return out;
}

/** Columns of other types (strings, values with nulls): the rows of each group, then one aggregation each. */
function genericGroups(cols: (Column | undefined)[], ids: Int32Array[], groups: number, kind: Aggregation['kind']): unknown[] {
  const values: unknown[][] = Array.from({ length: groups }, () => []);
  for (let b = 0; b < ids.length; b++) {
    const g = ids[b] as Int32Array;
    const col = cols[b];
    for (let i = 0; i < g.length; i++) values[g[i] as number]!.push(col ? col[i] : null);
  }
  return values.map((v) => aggregateColumn(v, null, v.length, kind));
}
