/** CSV parsing and type inference, and the block helpers beneath every dataset. */
import { describe, expect, it } from 'vitest';
import { blockFromBatch, blockFromRows, blockToRows, concatBlocks } from '../../src/data/block.ts';
import { formatCsv, parseCsv } from '../../src/data/csv.ts';
import { BatchShapeError, CsvParseError } from '../../src/data/errors.ts';
import { sortBlocks } from '../../src/data/all-to-all.ts';
import { groupAggregate } from '../../src/data/group-by.ts';

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

  it('keeps hex and Infinity as strings; blank lines at the end are dropped', () => {
    const block = parseCsv('a,b,c\n0x10,1,Infinity\n 2 ,,3\n\n\n', 'f.csv');
    expect(block.numRows).toBe(2);
    expect(block.columns.a).toEqual(['0x10', ' 2 ']);
    expect(Array.from(block.columns.b as Float64Array)).toEqual([1, NaN]);
    expect(block.columns.c).toEqual(['Infinity', '3']);
    expect(parseCsv('a,b\n1,\n2,\n', 'e.csv').columns.b).toEqual(['', '']);
  });

  it('reads a numeric column longer than its first buffer, and a column that turns to strings late', () => {
    const lines = ['n,s'];
    for (let i = 0; i < 3000; i++) lines.push(`${i},${i === 2999 ? 'x' : i}`);
    const block = parseCsv(lines.join('\n'), 'long.csv');
    expect(block.columns.n).toBeInstanceOf(Float64Array);
    expect((block.columns.n as Float64Array)[2999]).toBe(2999);
    expect((block.columns.s as string[])[0]).toBe('0');
    expect((block.columns.s as string[])[2999]).toBe('x');
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
