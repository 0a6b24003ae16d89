/**
 * Arrow interop with real workers: `data.fromArrow` of a table and of IPC bytes, `toArrow`, and
 * batches in the 'arrow' format, both in the page (`iterBatches`) and in tasks (`mapBatches`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromArrays, tableToIPC, type Table } from '@uwdata/flechette';
import { data, init, RayboxUsageError, shutdown } from '../../src/index.ts';

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await shutdown();
});

describe('Arrow', () => {
  it('fromArrow(table) gives its rows; toArrow gives them back as a table; IPC bytes round trip', { timeout: 60_000 }, async () => {
    const table = tableFromArrays({ x: new Float64Array([1, 2, 3]), label: ['a', 'b', 'c'], small: new Int32Array([7, 8, 9]) });
    const ds = data.fromArrow(table);
    expect(await ds.takeAll()).toEqual([
      { x: 1, label: 'a', small: 7 },
      { x: 2, label: 'b', small: 8 },
      { x: 3, label: 'c', small: 9 },
    ]);
    expect(await ds.schema()).toEqual({ x: 'number', label: 'string', small: 'number' });
    const back = await ds.map((r) => ({ x: (r.x as number) * 10, label: r.label })).toArrow();
    expect(back.numRows).toBe(3);
    expect(Array.from(back.getChild('x').toArray() as Float64Array)).toEqual([10, 20, 30]);
    expect(Array.from(back.getChild('label').toArray())).toEqual(['a', 'b', 'c']);
    const bytes = tableToIPC(await data.range(1000).toArrow(), { format: 'stream' });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(await data.fromArrow(bytes!).sum('id')).toBe(499_500);
  });

  it("batches in the 'arrow' format: in the page and in a task's mapBatches", { timeout: 60_000 }, async () => {
    let rows = 0;
    for await (const batch of data.range(250, { overrideNumBlocks: 3 }).iterBatches({ batchSize: 100, batchFormat: 'arrow' })) rows += (batch as Table).numRows;
    expect(rows).toBe(250);
    const ds = data.range(100, { overrideNumBlocks: 5 }).mapBatches(
      (t: { numRows: number; getChild(name: string): { toArray(): ArrayLike<number> } }) => ({ id: t.getChild('id').toArray(), batchRows: new Array<number>(t.numRows).fill(t.numRows) }),
      { batchFormat: 'arrow', batchSize: 10 },
    );
    const out = await ds.takeAll();
    expect(out.map((r) => r.id)).toEqual([...Array(100).keys()]);
    expect(new Set(out.map((r) => r.batchRows))).toEqual(new Set([10]));
  });

  it('fromArrow of something else is a usage error', () => {
    expect(() => data.fromArrow(42)).toThrow(RayboxUsageError);
  });
});
