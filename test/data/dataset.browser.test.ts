/**
 * `raybox.data` with real workers: every transformation and consuming call against known answers,
 * the chapter-1 chain's exact output, and errors that name what went wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { data, init, shutdown, TaskError } from '../../src/index.ts';
import { BatchFormatError, BatchShapeError, ColumnNotFoundError } from '../../src/data/index.ts';

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await shutdown();
});

describe('Dataset', () => {
  it('chapter 1: fromItems → map → filter → flatMap → take(10)', { timeout: 60_000 }, async () => {
    const items = Array.from({ length: 10000 }, (_, i) => ({ name: String(i), data: i }));
    const ds = data.fromItems(items);
    expect(await ds.count()).toBe(10000);
    const squares = ds.map((r) => ({ data: (r.data as number) ** 2 }));
    const evens = squares.filter((r) => (r.data as number) % 2 === 0);
    expect(await evens.count()).toBe(5000);
    const cubes = evens.flatMap((r) => [{ data: r.data }, { data: (r.data as number) ** 3 }]);
    expect((await cubes.take(10)).map((r) => r.data)).toEqual([0, 0, 4, 64, 16, 4096, 36, 46656, 64, 262144]);
  });

  it('range: count, take, schema, numBlocks, sum/min/max/mean/std', { timeout: 60_000 }, async () => {
    const ds = data.range(10000);
    expect(await ds.count()).toBe(10000);
    expect(await ds.take(3)).toEqual([{ id: 0 }, { id: 1 }, { id: 2 }]);
    expect(await ds.schema()).toEqual({ id: 'number' });
    expect(await ds.numBlocks()).toBe(10);
    expect(await data.range(10, { overrideNumBlocks: 3 }).numBlocks()).toBe(3);
    expect(await ds.sum('id')).toBe((9999 * 10000) / 2);
    expect(await ds.min('id')).toBe(0);
    expect(await ds.max('id')).toBe(9999);
    expect(await ds.mean('id')).toBe(4999.5);
    expect(await data.fromItems([1, 2, 3, 4]).std('item')).toBeCloseTo(Math.sqrt(5 / 3), 12);
  });

  it('fromItems of non-objects gives { item } rows; schema names types', async () => {
    expect(await data.fromItems([1, 2]).takeAll()).toEqual([{ item: 1 }, { item: 2 }]);
    expect(await data.fromItems([{ a: 1, b: 'x', c: true }]).schema()).toEqual({ a: 'number', b: 'string', c: 'boolean' });
  });

  it('mapBatches with columns and rows formats, batchSize, and fnConstructorArgs as extra arguments', { timeout: 60_000 }, async () => {
    const ds = data.range(10, { overrideNumBlocks: 2 });
    const doubled = ds.mapBatches((b: Record<string, Float64Array>) => ({ id: b.id, twice: b.id!.map((x) => 2 * x) }));
    expect((await doubled.takeAll()).map((r) => r.twice)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    const sizes = ds.mapBatches((rows: { id: number }[]) => rows.map(() => ({ size: rows.length })), { batchFormat: 'rows', batchSize: 2 });
    expect((await sizes.takeAll()).map((r) => r.size)).toEqual([2, 2, 2, 2, 1, 2, 2, 2, 2, 1]); // batches never span blocks of 5
    const plus = ds.mapBatches((b: Record<string, Float64Array>, k: number) => ({ v: b.id!.map((x) => x + k) }), { fnConstructorArgs: [100] });
    expect((await plus.take(2)).map((r) => r.v)).toEqual([100, 101]);
  });

  it('column edits: addColumn, dropColumns, selectColumns, renameColumns', { timeout: 60_000 }, async () => {
    const ds = data.fromItems([{ a: 1, b: 2 }, { a: 3, b: 4 }]);
    expect(await ds.addColumn('c', (b) => (b.a as Float64Array).map((x, i) => x + (b.b as Float64Array)[i]!)).takeAll()).toEqual([
      { a: 1, b: 2, c: 3 },
      { a: 3, b: 4, c: 7 },
    ]);
    expect(await ds.dropColumns(['a']).takeAll()).toEqual([{ b: 2 }, { b: 4 }]);
    expect(await ds.selectColumns(['a']).takeAll()).toEqual([{ a: 1 }, { a: 3 }]);
    expect(await ds.renameColumns({ a: 'x' }).takeAll()).toEqual([{ x: 1, b: 2 }, { x: 3, b: 4 }]);
  });

  it('union, sort, limit, repartition, zip, randomShuffle, split, trainTestSplit, unique', { timeout: 60_000 }, async () => {
    const a = data.range(5);
    const b = data.fromItems([{ id: 10 }, { id: -1 }]);
    const u = a.union(b);
    expect((await u.takeAll()).map((r) => r.id)).toEqual([0, 1, 2, 3, 4, 10, -1]);
    expect((await u.sort('id').takeAll()).map((r) => r.id)).toEqual([-1, 0, 1, 2, 3, 4, 10]);
    expect((await u.sort('id', { descending: true }).take(2)).map((r) => r.id)).toEqual([10, 4]);
    expect(await u.limit(3).count()).toBe(3);
    const parts = u.repartition(3);
    expect(await parts.numBlocks()).toBe(3);
    expect(await parts.count()).toBe(7);
    expect(await data.range(2).zip(data.fromItems([{ id: 'x' }, { id: 'y' }])).takeAll()).toEqual([
      { id: 0, id_1: 'x' },
      { id: 1, id_1: 'y' },
    ]);
    const shuffled = (await data.range(100).randomShuffle({ seed: 7 }).takeAll()).map((r) => r.id as number);
    expect(shuffled).not.toEqual([...Array(100).keys()]);
    expect([...shuffled].sort((x, y) => x - y)).toEqual([...Array(100).keys()]);
    expect((await data.range(100).randomShuffle({ seed: 7 }).takeAll()).map((r) => r.id)).toEqual(shuffled);
    const splits = await data.range(10).split(3);
    expect(await Promise.all(splits.map((s) => s.count()))).toEqual([3, 3, 4]);
    const [train, test] = await data.range(10).trainTestSplit({ testSize: 0.2 });
    expect((await test.takeAll()).map((r) => r.id)).toEqual([8, 9]);
    expect(await train.count()).toBe(8);
    expect(await data.fromItems(['b', 'a', 'b']).unique('item')).toEqual(['a', 'b']);
  });

  it('groupBy: count, sum, mean, aggregate, mapGroups', { timeout: 60_000 }, async () => {
    const ds = data.range(10).map((r) => ({ g: (r.id as number) % 3, v: r.id }));
    expect(await ds.groupBy('g').count().takeAll()).toEqual([
      { g: 0, 'count()': 4 },
      { g: 1, 'count()': 3 },
      { g: 2, 'count()': 3 },
    ]);
    expect((await ds.groupBy('g').sum('v').takeAll()).map((r) => r['sum(v)'])).toEqual([18, 12, 15]);
    expect((await ds.groupBy('g').mean('v').takeAll()).map((r) => r['mean(v)'])).toEqual([4.5, 4, 5]);
    const agg = await ds.groupBy('g').aggregate({ kind: 'max', column: 'v' }, { kind: 'min', column: 'v', name: 'lo' }).takeAll();
    expect(agg).toEqual([
      { g: 0, 'max(v)': 9, lo: 0 },
      { g: 1, 'max(v)': 7, lo: 1 },
      { g: 2, 'max(v)': 8, lo: 2 },
    ]);
    const sizes = await ds.groupBy('g').mapGroups((b) => ({ g: [(b as Record<string, Float64Array>).g![0]], n: [(b as Record<string, Float64Array>).v!.length] })).takeAll();
    expect(sizes).toEqual([{ g: 0, n: 4 }, { g: 1, n: 3 }, { g: 2, n: 3 }]);
  });

  it('iterRows, iterBatches across blocks, takeBatch, materialize', { timeout: 60_000 }, async () => {
    const ds = data.range(10, { overrideNumBlocks: 3 });
    const rows: unknown[] = [];
    for await (const row of ds.iterRows()) rows.push(row.id);
    expect(rows).toEqual([...Array(10).keys()]);
    const sizes: number[] = [];
    for await (const batch of ds.iterBatches({ batchSize: 4 })) sizes.push((batch as Record<string, Float64Array>).id!.length);
    expect(sizes).toEqual([4, 4, 2]);
    const dropped: number[] = [];
    for await (const batch of ds.iterBatches({ batchSize: 4, dropLast: true, batchFormat: 'rows' })) dropped.push((batch as unknown[]).length);
    expect(dropped).toEqual([4, 4]);
    const batch = (await ds.takeBatch(3)) as Record<string, Float64Array>;
    expect(Array.from(batch.id!)).toEqual([0, 1, 2]);
    const kept = await ds.map((r) => ({ id: r.id })).materialize();
    expect(await kept.numBlocks()).toBe(3);
    expect(await kept.count()).toBe(10);
  });
});

describe('Dataset errors', () => {
  it('a failing map function rejects the consuming call with a TaskError carrying the remote stack', { timeout: 60_000 }, async () => {
    const ds = data.range(10).map((r) => {
      if (r.id === 7) throw new Error('seven is unlucky');
      return r;
    });
    const error = await ds.takeAll().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskError);
    expect((error as TaskError).remoteMessage).toContain('seven is unlucky');
    expect((error as TaskError).remoteStack).toContain('seven is unlucky');
  });

  it('unknown column, wrong batch shape and unknown batchFormat name what to do', { timeout: 60_000 }, async () => {
    const unknown = await data.range(3).sort('nope').takeAll().catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ColumnNotFoundError);
    expect((unknown as Error).message).toContain('"nope"');
    expect((unknown as Error).message).toContain('"id"');
    const shape = await data.range(3).mapBatches(() => ({ a: [1, 2], b: [1] })).takeAll().catch((e: unknown) => e);
    expect(shape).toBeInstanceOf(BatchShapeError);
    expect((shape as Error).message).toContain('"a" has 2 values, "b" has 1');
    const dropped = await data.range(3).dropColumns(['x']).takeAll().catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(ColumnNotFoundError);
    expect(() => data.range(3).mapBatches((b) => b, { batchFormat: 'pandas' as 'rows' })).toThrow(BatchFormatError);
  });
});
