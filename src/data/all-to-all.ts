import { concatBlocks, requireColumn, sliceBlock, takeIndices, toColumn, type Block, type Column } from './block.ts';

/** Operators that need every block at once (Ray materialises them too). They run in the page. */

/** `n` blocks of near-equal row counts. */
export function splitEven(block: Block, n: number): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < n; i++) {
    out.push(sliceBlock(block, Math.floor((i * block.numRows) / n), Math.floor(((i + 1) * block.numRows) / n)));
  }
  return out;
}

export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** A stable sort by one or more keys; the result keeps the input's number of blocks. */
export function sortBlocks(blocks: Block[], keys: string[], descending: boolean): Block[] {
  const all = concatBlocks(blocks);
  if (all.numRows === 0) return blocks;
  const cols = keys.map((k) => requireColumn(all, k, 'sort'));
  const order = Array.from({ length: all.numRows }, (_, i) => i);
  const sign = descending ? -1 : 1;
  order.sort((i, j) => {
    for (const col of cols) {
      const c = compareValues(col[i], col[j]);
      if (c !== 0) return sign * c;
    }
    return i - j;
  });
  return splitEven(takeIndices(all, order), Math.max(1, blocks.length));
}

/** mulberry32: a small seeded generator, so `randomShuffle({ seed })` repeats. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffleBlocks(blocks: Block[], seed: number | undefined): Block[] {
  const all = concatBlocks(blocks);
  const random = seed === undefined ? Math.random : seededRandom(seed);
  const order = Array.from({ length: all.numRows }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return splitEven(takeIndices(all, order), Math.max(1, blocks.length));
}

export function repartitionBlocks(blocks: Block[], n: number): Block[] {
  return splitEven(concatBlocks(blocks), n);
}

/** Rows side by side; a column name both have gets the suffix `_1` on the right, as in Ray. */
export function zipBlocks(left: Block[], right: Block[]): Block[] {
  const a = concatBlocks(left);
  const b = concatBlocks(right);
  const columns: Record<string, Column> = { ...a.columns };
  for (const [name, col] of Object.entries(b.columns)) columns[name in columns ? `${name}_1` : name] = col;
  return splitEven({ numRows: a.numRows, columns }, Math.max(1, left.length));
}

export interface Aggregation {
  /** The output column, e.g. `mean(x)`. */
  name: string;
  column?: string;
  kind: 'count' | 'sum' | 'min' | 'max' | 'mean' | 'std';
}

/** Group rows by key (groups sorted by key, as Ray does) and aggregate each group. */
export function groupIndices(all: Block, key: string): { keys: unknown[]; groups: number[][] } {
  const col = requireColumn(all, key, 'groupBy');
  const byKey = new Map<unknown, number[]>();
  for (let i = 0; i < all.numRows; i++) {
    const k = col[i];
    let group = byKey.get(k);
    if (!group) byKey.set(k, (group = []));
    group.push(i);
  }
  const keys = [...byKey.keys()].sort(compareValues);
  return { keys, groups: keys.map((k) => byKey.get(k) as number[]) };
}

export function aggregateColumn(col: Column | undefined, rows: ArrayLike<number> | null, n: number, kind: Aggregation['kind']): number | unknown {
  if (kind === 'count') return n;
  let sum = 0;
  let sumSq = 0;
  let min: unknown = null;
  let max: unknown = null;
  let count = 0;
  for (let r = 0; r < n; r++) {
    const v = col ? col[rows ? (rows[r] as number) : r] : null;
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) continue;
    count++;
    if (typeof v === 'number') {
      sum += v;
      sumSq += v * v;
    }
    if (min === null || compareValues(v, min) < 0) min = v;
    if (max === null || compareValues(v, max) > 0) max = v;
  }
  if (kind === 'sum') return sum;
  if (kind === 'min') return min;
  if (kind === 'max') return max;
  if (count === 0) return null;
  const mean = sum / count;
  if (kind === 'mean') return mean;
  // Sample standard deviation (ddof = 1), as Ray's Std.
  return count < 2 ? 0 : Math.sqrt(Math.max(0, (sumSq - count * mean * mean) / (count - 1)));
}

/**
 * Group rows by key and aggregate each group in one pass per column: rows are numbered by group
 * first (one Map lookup per row), then numeric columns accumulate into per-group typed arrays, so
 * a groupBy-mean costs a few loops over typed arrays rather than an index list per group.
 * Groups come out sorted by key, as in Ray.
 */
export function groupAggregate(blocks: Block[], key: string, aggs: Aggregation[]): Block[] {
  const all = concatBlocks(blocks);
  if (all.numRows === 0) return [];
  for (const a of aggs) if (a.column !== undefined) requireColumn(all, a.column, `groupBy('${key}').${a.kind}`);
  const keyCol = requireColumn(all, key, 'groupBy');
  const index = new Map<unknown, number>();
  const groupOf = new Int32Array(all.numRows);
  for (let i = 0; i < all.numRows; i++) {
    const k = keyCol[i];
    let g = index.get(k);
    if (g === undefined) index.set(k, (g = index.size));
    groupOf[i] = g;
  }
  const keys = [...index.keys()];
  const order = keys.map((_, g) => g).sort((a, b) => compareValues(keys[a], keys[b]));
  const columns: Record<string, Column> = { [key]: toColumn(order.map((g) => keys[g])) };
  for (const a of aggs) {
    const col = a.column === undefined ? undefined : all.columns[a.column];
    const perGroup = col instanceof Float64Array || col === undefined ? numericGroups(col, groupOf, keys.length, a.kind) : genericGroups(col, groupOf, keys.length, a.kind);
    columns[a.name] = toColumn(order.map((g) => perGroup[g]));
  }
  return [{ numRows: keys.length, columns }];
}

function numericGroups(col: Float64Array | undefined, groupOf: Int32Array, groups: number, kind: Aggregation['kind']): unknown[] {
  const count = new Float64Array(groups);
  const sum = new Float64Array(groups);
  const sumSq = new Float64Array(groups);
  const min = new Float64Array(groups).fill(Infinity);
  const max = new Float64Array(groups).fill(-Infinity);
  for (let i = 0; i < groupOf.length; i++) {
    const g = groupOf[i] as number;
    if (!col) {
      count[g]!++;
      continue;
    }
    const v = col[i] as number;
    if (Number.isNaN(v)) continue;
    count[g]!++;
    sum[g]! += v;
    if (kind === 'std') sumSq[g]! += v * v;
    if (v < min[g]!) min[g] = v;
    if (v > max[g]!) max[g] = v;
  }
  return Array.from({ length: groups }, (_, g) => {
    const n = count[g] as number;
    if (kind === 'count') return n;
    if (kind === 'sum') return sum[g];
    if (n === 0) return null;
    if (kind === 'min') return min[g];
    if (kind === 'max') return max[g];
    const mean = (sum[g] as number) / n;
    if (kind === 'mean') return mean;
    return n < 2 ? 0 : Math.sqrt(Math.max(0, ((sumSq[g] as number) - n * mean * mean) / (n - 1)));
  });
}

function genericGroups(col: Column, groupOf: Int32Array, groups: number, kind: Aggregation['kind']): unknown[] {
  const rows: number[][] = Array.from({ length: groups }, () => []);
  for (let i = 0; i < groupOf.length; i++) rows[groupOf[i] as number]!.push(i);
  return rows.map((r) => aggregateColumn(col, r, r.length, kind));
}
