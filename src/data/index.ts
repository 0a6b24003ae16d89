import { RayboxUsageError } from '../core/errors.ts';
import { blockFromRows, type Row } from './block.ts';
import { Dataset, fromBlocks } from './dataset.ts';
import { arrowToBlock, isArrowTable } from './arrow.ts';
import { dataContext } from './memory-budget.ts';
import { Concatenator, MinMaxScaler, OneHotEncoder, preprocessorFromJSON, StandardScaler } from './preprocessors.ts';
import { readSpecs, type SourceLike } from './sources.ts';
import type { BlockInput } from './stages.ts';

function numBlocksFor(rows: number, override: number | undefined): number {
  if (override !== undefined) {
    if (!(Number.isInteger(override) && override > 0)) throw new RayboxUsageError(`overrideNumBlocks is a positive integer, not ${String(override)}.`);
    return override;
  }
  return Math.max(1, Math.ceil(rows / dataContext.targetRowsPerBlock));
}

/** `{ id }` rows 0 … n-1, made by tasks block by block. */
function range(n: number, options: { overrideNumBlocks?: number } = {}): Dataset {
  if (!(Number.isInteger(n) && n >= 0)) throw new RayboxUsageError(`range(n): n is a whole number ≥ 0, not ${String(n)}.`);
  const blocks = numBlocksFor(n, options.overrideNumBlocks);
  const inputs = async (): Promise<BlockInput[]> =>
    Array.from({ length: blocks }, (_, i) => ({ kind: 'range' as const, start: Math.floor((i * n) / blocks), end: Math.floor(((i + 1) * n) / blocks) }));
  return new Dataset({ source: { kind: 'inputs', label: `range(${n})`, inputs }, ops: [] });
}

/** Rows from items: objects stay rows, anything else becomes `{ item }`, as in Ray. */
function fromItems(items: unknown[], options: { overrideNumBlocks?: number } = {}): Dataset {
  if (!Array.isArray(items)) throw new RayboxUsageError('fromItems(items): items is an array.');
  const rows = items.map((it) => (it !== null && typeof it === 'object' && !Array.isArray(it) ? (it as Row) : { item: it }));
  const n = numBlocksFor(rows.length, options.overrideNumBlocks);
  const blocks = Array.from({ length: n }, (_, i) => blockFromRows(rows.slice(Math.floor((i * rows.length) / n), Math.floor(((i + 1) * rows.length) / n))));
  return fromBlocks(blocks, 'fromItems');
}

/** Rows of an Arrow table (Flechette or apache-arrow) or of Arrow IPC bytes; read when the dataset runs. */
function fromArrow(table: unknown): Dataset {
  if (!(table instanceof Uint8Array || table instanceof ArrayBuffer || isArrowTable(table))) {
    throw new RayboxUsageError('fromArrow takes an Arrow table (Flechette or apache-arrow) or Arrow IPC bytes (a Uint8Array or ArrayBuffer).');
  }
  return new Dataset({ source: { kind: 'inputs', label: 'fromArrow', inputs: async () => [{ kind: 'block' as const, block: await arrowToBlock(table) }] }, ops: [] });
}

function reader(format: 'csv' | 'json' | 'text' | 'parquet') {
  return (source: SourceLike): Dataset =>
    new Dataset({ source: { kind: 'inputs', label: `read${format}`, inputs: () => readSpecs(source, format) }, ops: [] });
}

/**
 * Ray Data in the browser: lazy datasets of rows, executed by streaming blocks through tasks and
 * actor pools with a memory budget.
 */
export const data = {
  range,
  fromItems,
  fromArrow,
  /** CSV files with a header row; types inferred per column. One block per file. */
  readCsv: reader('csv'),
  /** A JSON array of objects, or JSON Lines. One block per file. */
  readJson: reader('json'),
  /** Parquet files (hyparquet). One block per file. */
  readParquet: reader('parquet'),
  /** One `{ text }` row per line. */
  readText: reader('text'),
  /** StandardScaler, MinMaxScaler, OneHotEncoder, Concatenator: `fit(ds)`, `transform(ds)`, `fitTransform(ds)`, `toJSON()`. */
  preprocessors: { StandardScaler, MinMaxScaler, OneHotEncoder, Concatenator, fromJSON: preprocessorFromJSON },
  /** Settings: `memoryBudgetBytes`, `targetRowsPerBlock`. */
  context: dataContext,
  Dataset,
};

export { Dataset, GroupedData } from './dataset.ts';
export { DataIterator } from './split.ts';
export type { MapBatchesOptions, IterBatchesOptions } from './dataset.ts';
export * from './errors.ts';
