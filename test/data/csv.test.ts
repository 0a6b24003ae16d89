/** CSV parsing and type inference, and the block helpers beneath every dataset. */
import { describe, expect, it } from 'vitest';
import { blockFromBatch, blockFromRows, blockToRows, concatBlocks } from '../../src/data/block.ts';
import { formatCsv, parseCsv } from '../../src/data/csv.ts';
import { BatchShapeError, CsvParseError } from '../../src/data/errors.ts';
import { groupAggregate, sortBlocks } from '../../src/data/all-to-all.ts';

describe('CSV', () => {
  it('infers number, boolean and string columns; empty numeric fields are NaN', () => {
    const block = parseCsv('a,b,c\n1,true,x\n,false,"y, z"\n2.5e1,,""\n', 'f.csv');
    expect(block.columns.a).toBeInstanceOf(Float64Array);
    expect(Array.from(block.columns.a as Float64Array)).toEqual([1, NaN, 25]);
    expect(block.columns.b).toEqual([true, false, null]);
    expect(block.columns.c).toEqual(['x', 'y, z', '']);
  });

  it('round trips quotes, commas and newlines through formatCsv', () => {
    const block = blockFromRows([{ s: 'say "hi"\nthere, you', n: 1 }]);
    expect(blockToRows(parseCsv(formatCsv(block), 'x'))).toEqual([{ s: 'say "hi"\nthere, you', n: 1 }]);
  });

  it('a record with the wrong number of fields names the file and row', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n', 'data.csv')).toThrow(CsvParseError);
    expect(() => parseCsv('a,b\n1,2\n3\n', 'data.csv')).toThrow('data.csv: row 2');
  });
});

describe('blocks', () => {
  it('concatenates blocks with missing columns as null, sorts stably, aggregates by group', () => {
    const all = concatBlocks([blockFromRows([{ k: 'b', v: 1 }]), blockFromRows([{ k: 'a', v: 2, w: 'x' }]), blockFromRows([{ k: 'b', v: 3 }])]);
    expect(blockToRows(all)).toEqual([{ k: 'b', v: 1, w: null }, { k: 'a', v: 2, w: 'x' }, { k: 'b', v: 3, w: null }]);
    expect(blockToRows(concatBlocks(sortBlocks([all], ['k'], false))).map((r) => r.v)).toEqual([2, 1, 3]);
    const [groups] = groupAggregate([all], 'k', [{ kind: 'sum', column: 'v', name: 's' }]);
    expect(blockToRows(groups!)).toEqual([{ k: 'a', s: 2 }, { k: 'b', s: 4 }]);
  });

  it('a batch of unequal columns is a BatchShapeError', () => {
    expect(() => blockFromBatch({ a: [1], b: [1, 2] }, 'mapBatches')).toThrow(BatchShapeError);
    expect(() => blockFromBatch(7, 'mapBatches')).toThrow(BatchShapeError);
  });
});
