import { requireColumn, toColumn, type Block, type Column } from './block.ts';
import { aggregateColumn, compareValues, type Aggregation } from './all-to-all.ts';

/** Small non-negative integer keys (the common case: codes, classes, buckets) index a table directly. */
const DIRECT = 1 << 16;
/** The direct table starts this small and grows to the largest such key seen: allocating and filling all of it costs more than a small groupBy. */
const DIRECT_START = 256;
/** Keys below this are summed by their own value within a block (`addByKey`), then folded into their groups. */
const BY_KEY_MAX = 4096;

/**
 * Numbers the distinct values of a key column, block after block, as a columnar hash aggregation
 * does (pandas' factorize, Arrow's hash kernels): a numeric key is looked up in a direct table
 * when it is a small non-negative integer, else in an open-addressing table of doubles; only
 * keys of other types (strings, booleans, mixed columns) go through a `Map`. No object is made
 * per row.
 */
export class KeyIndex {
  readonly keys: unknown[] = [];
  #direct: Int32Array = new Int32Array(DIRECT_START).fill(-1);
  #slots = new Float64Array(1024);
  #ids = new Int32Array(1024).fill(-1);
  #used = 0;
  #nan = -1;
  readonly #other = new Map<unknown, number>();
  /** Scratch for a double's bits, to hash it. */
  readonly #bits = new Float64Array(1);
  readonly #words = new Int32Array(this.#bits.buffer);

  /** Each row's group number, written into `out` (a new array if not given). */
  ids(col: Column, numRows: number, out: Int32Array = new Int32Array(numRows)): Int32Array {
    if (col instanceof Float64Array) {
      let direct = this.#direct;
      for (let i = 0; i < numRows; i++) {
        const v = col[i] as number;
        const k = v | 0; // an integer index: -0 becomes 0
        // `>>> 0` makes a negative k huge, so one comparison checks both ends.
        if (k === v && k >>> 0 < direct.length) {
          const g = direct[k] as number;
          out[i] = g >= 0 ? g : (direct[k] = this.#add(k));
        } else if (k === v && k >>> 0 < DIRECT) {
          direct = this.#growDirect(k);
          out[i] = direct[k] = this.#add(k);
        } else out[i] = this.#hashed(v);
      }
    } else {
      for (let i = 0; i < numRows; i++) out[i] = this.#value(col[i]);
    }
    return out;
  }

  /** The direct table (key → group, -1 where none yet), for a pass that numbers keys as it adds values. */
  get direct(): Int32Array {
    return this.#direct;
  }

  /** The group of one number, added if new. */
  idOf(v: number): number {
    return this.#value(v);
  }

  /** A direct table that reaches key `k`, the groups already in it kept. */
  #growDirect(k: number): Int32Array {
    let size = this.#direct.length;
    while (size <= k) size *= 2;
    const grown = new Int32Array(Math.min(size, DIRECT)).fill(-1);
    grown.set(this.#direct);
    return (this.#direct = grown);
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
      const k = v | 0;
      if (k === v && k >>> 0 < DIRECT) {
        const direct = k < this.#direct.length ? this.#direct : this.#growDirect(k);
        const g = direct[k] as number;
        return g >= 0 ? g : (direct[k] = this.#add(k));
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
 * Group rows by key and aggregate each group: block by block, the key column is numbered by
 * group (`KeyIndex`, into one reused scratch array) and each numeric column is added at once into
 * per-group typed arrays while those numbers are still in cache. Blocks are not concatenated
 * first. Groups come out sorted by key, as in Ray.
 */
export function groupAggregate(blocks: Block[], key: string, aggs: Aggregation[]): Block[] {
  const live = blocks.filter((b) => b.numRows > 0);
  if (live.length === 0) return [];
  for (const b of live) {
    requireColumn(b, key, 'groupBy');
    for (const a of aggs) if (a.column !== undefined) requireColumn(b, a.column, `groupBy('${key}').${a.kind}`);
  }
  const index = new KeyIndex();
  const accumulators = aggs.map((a) => {
    const numeric = a.column === undefined || live.every((b) => b.columns[a.column as string] instanceof Float64Array);
    return numeric ? new NumericAccumulator(a.kind) : new GenericAccumulator(a.kind);
  });
  let scratch = new Int32Array(0);
  for (const b of live) {
    if (scratch.length < b.numRows) scratch = new Int32Array(b.numRows);
    const keyColumn = b.columns[key] as Column;
    const first = accumulators[0];
    // A numeric key is numbered in the same pass that adds the first aggregation's column.
    const fused = keyColumn instanceof Float64Array && first instanceof NumericAccumulator;
    const ids = fused ? first.addNumbering(keyColumn, index, columnOf(b, aggs[0]), scratch, b.numRows, aggs.length > 1) : index.ids(keyColumn, b.numRows, scratch);
    aggs.forEach((a, i) => {
      if (!(fused && i === 0)) (accumulators[i] as Accumulator).add(columnOf(b, a), ids, b.numRows, index.keys.length);
    });
  }
  const numGroups = index.keys.length;
  const keys = index.keys;
  const order = Array.from({ length: numGroups }, (_, g) => g).sort((a, b) => compareValues(keys[a], keys[b]));
  const columns: Record<string, Column> = { [key]: toColumn(order.map((g) => keys[g])) };
  aggs.forEach((a, i) => {
    const perGroup = (accumulators[i] as Accumulator).results(numGroups);
    columns[a.name] = toColumn(order.map((g) => perGroup[g]));
  });
  return [{ numRows: numGroups, columns }];
}

function columnOf(b: Block, a: Aggregation | undefined): Column | undefined {
  return a?.column === undefined ? undefined : b.columns[a.column];
}

interface Accumulator {
  /** Adds a block's rows; `groups` is how many groups exist so far. */
  add(col: Column | undefined, ids: Int32Array, numRows: number, groups: number): void;
  results(groups: number): unknown[];
}

/** Per-group counters in typed arrays, grown as groups appear; NaN (a missing number) is skipped, as Ray skips nulls. */
class NumericAccumulator implements Accumulator {
  readonly #kind: Aggregation['kind'];
  #count = new Float64Array(0);
  #acc = new Float64Array(0);
  #sumSq = new Float64Array(0);
  /** A block's sums, counts and seen-NaN marks by key value (`addByKey`), zero between blocks. */
  #keyAcc = new Float64Array(0);
  #keyCount = new Float64Array(0);
  #keyNaN = new Uint8Array(0);

  constructor(kind: Aggregation['kind']) {
    this.#kind = kind;
  }

  #grow(groups: number): void {
    if (groups <= this.#count.length) return;
    const size = Math.max(groups, this.#count.length * 2, 64);
    const start = this.#kind === 'min' ? Infinity : this.#kind === 'max' ? -Infinity : 0;
    const grow = (old: Float64Array, fill: number) => {
      const out = new Float64Array(size).fill(fill);
      out.set(old);
      return out;
    };
    this.#count = grow(this.#count, 0);
    this.#acc = grow(this.#acc, start);
    if (this.#kind === 'std') this.#sumSq = grow(this.#sumSq, 0);
  }

  /**
   * Numbers each row's key through `index` and adds the row in the same pass, for counts, sums
   * and means: one pass over the block instead of two. The group numbers go into `scratch` when
   * `keepIds` (other aggregations follow).
   */
  addNumbering(keys: Float64Array, index: KeyIndex, column: Column | undefined, scratch: Int32Array, n: number, keepIds: boolean): Int32Array {
    const kind = this.#kind;
    if (kind !== 'count' && kind !== 'sum' && kind !== 'mean') {
      index.ids(keys, n, scratch);
      this.add(column, scratch, n, index.keys.length);
      return scratch;
    }
    if (!keepIds) {
      this.#addByKey(keys, index, column, n);
      return scratch;
    }
    const ids = scratch;
    const col = kind === 'count' ? undefined : (column as Float64Array | undefined);
    let i = 0;
    while (i < n) {
      this.#grow(index.keys.length);
      const direct = index.direct;
      const size = direct.length;
      const count = this.#count;
      const acc = this.#acc;
      // The tight loop runs while keys are small integers already numbered; it stops at any
      // other key, which the index numbers below before the loop goes on from there.
      if (col) {
        for (; i < n; i++) {
          const v = keys[i] as number;
          const k = v | 0;
          if (k !== v || k >>> 0 >= size) break;
          const g = direct[k] as number;
          if (g < 0) break;
          if (ids) ids[i] = g;
          const x = col[i] as number;
          if (x !== x) continue;
          acc[g]! += x;
          count[g]!++;
        }
      } else {
        for (; i < n; i++) {
          const v = keys[i] as number;
          const k = v | 0;
          if (k !== v || k >>> 0 >= size) break;
          const g = direct[k] as number;
          if (g < 0) break;
          if (ids) ids[i] = g;
          count[g]!++;
        }
      }
      if (i === n) break;
      const v = keys[i] as number;
      const k = v | 0;
      if (k === v && k >>> 0 < DIRECT) {
        index.idOf(v); // now in the direct table: the loop takes the row
        continue;
      }
      const g = index.idOf(v);
      this.#grow(g + 1);
      if (ids) ids[i] = g;
      const x = col ? (col[i] as number) : 0;
      if (x === x) {
        (this.#acc[g] as number) += x;
        (this.#count[g] as number)++;
      }
      i++;
    }
    return scratch;
  }

  /**
   * The pass when no other aggregation needs the rows' group numbers: rows whose key is a small
   * integer are added by the key's own value (no lookup per row, as a hand-written loop over codes
   * does), and after the block each key seen is folded into its group; other keys go through the
   * index row by row.
   */
  #addByKey(keys: Float64Array, index: KeyIndex, column: Column | undefined, n: number): void {
    const col = this.#kind === 'count' ? undefined : (column as Float64Array | undefined);
    let i = 0;
    while (i < n) {
      const acc = this.#keyAcc;
      const count = this.#keyCount;
      const nan = this.#keyNaN;
      const size = count.length;
      // The tight loops stop at a key that is not an integer below `size`.
      if (col) {
        for (; i < n; i++) {
          const v = keys[i] as number;
          const k = v | 0;
          if (k !== v || k >>> 0 >= size) break;
          const x = col[i] as number;
          if (x !== x) nan[k] = 1;
          else {
            acc[k]! += x;
            count[k]!++;
          }
        }
      } else {
        for (; i < n; i++) {
          const v = keys[i] as number;
          const k = v | 0;
          if (k !== v || k >>> 0 >= size) break;
          count[k]!++;
        }
      }
      if (i === n) break;
      const v = keys[i] as number;
      const k = v | 0;
      if (k === v && k >>> 0 < BY_KEY_MAX) {
        this.#growByKey(k); // the loop takes the row
        continue;
      }
      const g = index.idOf(v);
      this.#grow(index.keys.length);
      const x = col ? (col[i] as number) : 0;
      if (x === x) {
        (this.#acc[g] as number) += x;
        (this.#count[g] as number)++;
      }
      i++;
    }
    // Each key seen becomes its group (numbered now if new), its sums added there and reset.
    const acc = this.#keyAcc;
    const count = this.#keyCount;
    const nan = this.#keyNaN;
    for (let k = 0; k < count.length; k++) {
      if (count[k] === 0 && nan[k] === 0) continue;
      const g = index.idOf(k);
      this.#grow(index.keys.length);
      (this.#acc[g] as number) += acc[k] as number;
      (this.#count[g] as number) += count[k] as number;
      acc[k] = 0;
      count[k] = 0;
      nan[k] = 0;
    }
  }

  #growByKey(k: number): void {
    let size = Math.max(this.#keyCount.length, 64);
    while (size <= k) size *= 2;
    const grow = <A extends Float64Array | Uint8Array>(old: A, made: A): A => {
      made.set(old);
      return made;
    };
    this.#keyAcc = grow(this.#keyAcc, new Float64Array(size));
    this.#keyCount = grow(this.#keyCount, new Float64Array(size));
    this.#keyNaN = grow(this.#keyNaN, new Uint8Array(size));
  }

  add(column: Column | undefined, g: Int32Array, n: number, groups: number): void {
    this.#grow(groups);
    const count = this.#count;
    const acc = this.#acc;
    const kind = this.#kind;
    const col = column as Float64Array | undefined;
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
      const sq = this.#sumSq;
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

  results(groups: number): unknown[] {
    const kind = this.#kind;
    const out = new Array<unknown>(groups);
    for (let k = 0; k < groups; k++) {
      const n = this.#count[k] ?? 0;
      const a = this.#acc[k] ?? 0;
      if (kind === 'count') out[k] = n;
      else if (kind === 'sum') out[k] = a;
      else if (n === 0) out[k] = null;
      else if (kind === 'min' || kind === 'max') out[k] = a;
      else if (kind === 'mean') out[k] = a / n;
      else {
        // Sample standard deviation (ddof = 1), as Ray's Std.
        const mean = a / n;
        out[k] = n < 2 ? 0 : Math.sqrt(Math.max(0, (this.#sumSq[k] as number) - n * mean * mean) / (n - 1));
      }
    }
    return out;
  }
}

/** Columns of other types (strings, values with nulls): each group's values, then one aggregation each. */
class GenericAccumulator implements Accumulator {
  readonly #kind: Aggregation['kind'];
  readonly #values: unknown[][] = [];

  constructor(kind: Aggregation['kind']) {
    this.#kind = kind;
  }

  add(col: Column | undefined, g: Int32Array, n: number, groups: number): void {
    while (this.#values.length < groups) this.#values.push([]);
    for (let i = 0; i < n; i++) this.#values[g[i] as number]!.push(col ? col[i] : null);
  }

  results(groups: number): unknown[] {
    return Array.from({ length: groups }, (_, k) => {
      const v = this.#values[k] ?? [];
      return aggregateColumn(v, null, v.length, this.#kind);
    });
  }
}
