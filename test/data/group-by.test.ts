/**
 * groupAggregate's columnar kernels against a plain reference (each group's rows gathered, then
 * aggregated one by one), on keys that take every path: small integers past the direct table's
 * first size, -0, negative and fractional numbers, NaN, huge integers, and strings beside numbers.
 */
import { describe, expect, it } from 'vitest';
import { aggregateColumn, groupIndices, type Aggregation } from '../../src/data/all-to-all.ts';
import { blockToRows, concatBlocks, type Block, type Column } from '../../src/data/block.ts';
import { groupAggregate } from '../../src/data/group-by.ts';

function reference(blocks: Block[], key: string, aggs: Aggregation[]): Record<string, unknown>[] {
  const all = concatBlocks(blocks);
  const { keys, groups } = groupIndices(all, key);
  return keys.map((k, i) => {
    const rows = groups[i]!;
    const row: Record<string, unknown> = { [key]: k };
    for (const a of aggs) row[a.name] = aggregateColumn(a.column === undefined ? undefined : all.columns[a.column], rows, rows.length, a.kind);
    return row;
  });
}

function block(keys: Column, values: Float64Array): Block {
  return { numRows: values.length, columns: { k: keys, x: values } };
}

const aggs: Aggregation[] = [
  { kind: 'mean', column: 'x', name: 'mean(x)' },
  { kind: 'count', name: 'count()' },
  { kind: 'sum', column: 'x', name: 'sum(x)' },
  { kind: 'min', column: 'x', name: 'min(x)' },
  { kind: 'max', column: 'x', name: 'max(x)' },
  { kind: 'std', column: 'x', name: 'std(x)' },
];

describe('groupAggregate', () => {
  it('numbers every kind of numeric key as the reference does, whichever aggregation comes first', () => {
    const keys = [3, 300, 70_000, -2, 0.5, NaN, -0, 0, 2 ** 40, 65_535, 65_536, 3, 300, 1000, 1000, NaN];
    const values = keys.map((_, i) => (i === 4 ? NaN : i * 1.5));
    const blocks = [block(Float64Array.from(keys.slice(0, 7)), Float64Array.from(values.slice(0, 7))), block(Float64Array.from(keys.slice(7)), Float64Array.from(values.slice(7)))];
    for (let first = 0; first < aggs.length; first++) {
      const order = [...aggs.slice(first), ...aggs.slice(0, first)];
      const got = blockToRows(groupAggregate(blocks, 'k', order)[0]!);
      expect(got).toEqual(reference(blocks, 'k', order));
      // Alone, too: the pass then keeps no group numbers for others.
      const alone = [aggs[first]!];
      expect(blockToRows(groupAggregate(blocks, 'k', alone)[0]!)).toEqual(reference(blocks, 'k', alone));
    }
  });

  it('gives numbers in a mixed column the same groups as in a numeric block', () => {
    const blocks = [block(Float64Array.from([1, 2, 500]), Float64Array.from([1, 2, 3])), block(['a', 1, 500, null, 'a'], Float64Array.from([4, 5, 6, 7, 8]))];
    const got = blockToRows(groupAggregate(blocks, 'k', aggs)[0]!);
    expect(got.map((r) => r.k)).toEqual([1, 2, 500, 'a', null]);
    expect(got).toEqual(reference(blocks, 'k', aggs));
  });

  it('a group whose values are all NaN is there, with a null mean and a count of its rows', () => {
    const blocks = [block(Float64Array.from([1, 1, 2]), Float64Array.from([NaN, NaN, 4]))];
    expect(blockToRows(groupAggregate(blocks, 'k', aggs.slice(0, 2))[0]!)).toEqual([
      { k: 1, 'mean(x)': null, 'count()': 2 },
      { k: 2, 'mean(x)': 4, 'count()': 1 },
    ]);
  });
});
