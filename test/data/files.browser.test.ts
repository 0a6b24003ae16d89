/**
 * Reads and writes: CSV through the origin private file system (write one file per block, read
 * the directory back), quoted fields and inferred types, JSON Lines, text, Files, and the errors
 * for a missing file, a malformed row, and a write into an existing directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { data, init, shutdown } from '../../src/index.ts';
import { CsvParseError, DataSourceError } from '../../src/data/index.ts';

async function removeDir(name: string): Promise<void> {
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(name, { recursive: true }).catch(() => {});
}

beforeAll(async () => {
  await init({ numWorkers: 2 });
  await Promise.all(['csv-round-trip', 'json-round-trip', 'parquet-round-trip', 'exists', 'failing-write'].map(removeDir));
});
afterAll(async () => {
  await shutdown();
});

describe('files', () => {
  it('writeCsv(opfs dir) then readCsv(dir) round trips, one file per block', { timeout: 60_000 }, async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ id: i, name: i % 2 ? `say "hi", ${i}` : `n${i}`, ok: i % 3 === 0 }));
    const ds = data.fromItems(rows, { overrideNumBlocks: 3 });
    const files = await ds.writeCsv('opfs:/csv-round-trip');
    expect(files).toEqual(['opfs:/csv-round-trip/000000.csv', 'opfs:/csv-round-trip/000001.csv', 'opfs:/csv-round-trip/000002.csv']);
    const back = data.readCsv('opfs:/csv-round-trip');
    expect(await back.numBlocks()).toBe(3);
    expect(await back.takeAll()).toEqual(rows);
    expect(await back.schema()).toEqual({ id: 'number', name: 'string', ok: 'boolean' });
  });

  it('writeParquet then readParquet round trips numbers, strings, booleans and nulls', { timeout: 60_000 }, async () => {
    const rows = Array.from({ length: 25 }, (_, i) => ({ x: i / 4, label: `r${i}`, flag: i % 2 === 0, note: i % 5 === 0 ? null : 'n' }));
    const files = await data.fromItems(rows, { overrideNumBlocks: 2 }).writeParquet('opfs:/parquet-round-trip');
    expect(files).toHaveLength(2);
    const back = data.readParquet('opfs:/parquet-round-trip');
    expect(await back.takeAll()).toEqual(rows);
    expect(await back.sum('x')).toBe(75);
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle('parquet-round-trip');
    const file = await (await dir.getFileHandle('000000.parquet')).getFile();
    expect(await data.readParquet(file).count()).toBe(12); // the first of two blocks of 25 rows
  });

  it('the shipped Iris CSV reads by URL: 150 rows, petal length means per species', { timeout: 60_000 }, async () => {
    const iris = data.readCsv('/data/iris.csv');
    expect(await iris.count()).toBe(150);
    expect(await iris.schema()).toEqual({ sepal_length: 'number', sepal_width: 'number', petal_length: 'number', petal_width: 'number', species: 'string' });
    const means = await iris.groupBy('species').mean('petal_length').takeAll();
    expect(means.map((r) => r.species)).toEqual(['setosa', 'versicolor', 'virginica']);
    [1.462, 4.26, 5.552].forEach((want, i) => expect(means[i]!['mean(petal_length)']).toBeCloseTo(want, 10));
  });

  it('writeJson then readJson round trips; readText gives { text } lines; a File is a source', { timeout: 60_000 }, async () => {
    const rows = [{ a: 1, b: [1, 2] }, { a: 2, b: [] }];
    await data.fromItems(rows).writeJson('opfs:/json-round-trip');
    expect(await data.readJson('opfs:/json-round-trip').takeAll()).toEqual(rows);
    const file = new File(['x,y\n1,"a\nb"\n2,c\n'], 'small.csv');
    expect(await data.readCsv(file).takeAll()).toEqual([{ x: 1, y: 'a\nb' }, { x: 2, y: 'c' }]);
    expect(await data.readText(new Blob(['one\ntwo\n'])).takeAll()).toEqual([{ text: 'one' }, { text: 'two' }]);
    expect(await data.readJson(new Blob(['[{"k":1},{"k":2}]'])).sum('k')).toBe(3);
  });

  it('a malformed row names the file and the row; a missing file names the path', { timeout: 60_000 }, async () => {
    const bad = new File(['a,b\n1,2\n3,4,5\n'], 'bad.csv');
    const parse = await data.readCsv(bad).takeAll().catch((e: unknown) => e);
    expect(parse).toBeInstanceOf(CsvParseError);
    expect((parse as Error).message).toContain('bad.csv: row 2');
    expect((parse as Error).message).toContain('3 fields but the header has 2');
    const missing = await data.readCsv('opfs:/no-such-dir').count().catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(DataSourceError);
    expect((missing as Error).message).toContain('opfs:/no-such-dir');
    const url = await data.readCsv('/no-such-file.csv').count().catch((e: unknown) => e);
    expect(url).toBeInstanceOf(DataSourceError);
    expect((url as Error).message).toContain('/no-such-file.csv');
  });

  it('a write into an existing directory is refused, and a failing write leaves no directory', { timeout: 60_000 }, async () => {
    await data.range(3).writeCsv('opfs:/exists');
    await expect(data.range(3).writeCsv('opfs:/exists')).rejects.toBeInstanceOf(DataSourceError);
    const failing = data.range(40, { overrideNumBlocks: 4 }).map((r) => {
      if (r.id === 35) throw new Error('boom');
      return r;
    });
    await expect(failing.writeCsv('opfs:/failing-write')).rejects.toThrow('boom');
    const root = await navigator.storage.getDirectory();
    await expect(root.getDirectoryHandle('failing-write')).rejects.toThrow();
  });
});
