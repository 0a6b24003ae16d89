import { concatBlocks, requireColumn, sliceBlock, takeIndices, type Block, type Column } from './block.ts';

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
  if (typeof a === 'number' && typeof b === 'number') {
    // NaN after every other number (a - b alone would call it equal to all, and sorts would depend on the input's order).
    if (a !== a) return b !== b ? 0 : 1;
    if (b !== b) return -1;
    return a - b;
  }
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
