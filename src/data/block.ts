import { BatchShapeError, ColumnNotFoundError } from './errors.ts';

/**
 * A block: a slice of a dataset's rows stored by column. Numeric columns are `Float64Array`s, so a
 * block crosses to a worker as transferable buffers and aggregations loop over typed arrays; other
 * columns (strings, booleans, nested values, columns with missing values) are plain arrays.
 *
 * Why typed-array columns and not Apache Arrow tables: every task would decode and encode IPC
 * buffers around a user function that sees plain rows or typed arrays anyway, and the worker
 * bundle would carry Arrow's ~180 KB; the typed arrays already move as transferables, which is
 * what Arrow IPC would buy here. `data.fromArrow` / `toArrow` can convert at the edges.
 */
export type Column = Float64Array | unknown[];

export interface Block {
  numRows: number;
  columns: Record<string, Column>;
}

export type Row = Record<string, unknown>;

export function emptyBlock(): Block {
  return { numRows: 0, columns: {} };
}

/** A column from values: numbers only → Float64Array, anything else a plain array. */
export function toColumn(values: unknown[]): Column {
  for (const v of values) if (typeof v !== 'number') return values;
  return Float64Array.from(values as number[]);
}

export function blockFromRows(rows: Row[]): Block {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const name of Object.keys(row)) {
      if (!seen.has(name)) {
        seen.add(name);
        names.push(name);
      }
    }
  }
  const columns: Record<string, Column> = {};
  for (const name of names) {
    const values = new Array<unknown>(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = (rows[i] as Row)[name] ?? null;
    columns[name] = toColumn(values);
  }
  return { numRows: rows.length, columns };
}

export function rowAt(block: Block, i: number): Row {
  const row: Row = {};
  for (const [name, col] of Object.entries(block.columns)) row[name] = col[i];
  return row;
}

export function blockToRows(block: Block): Row[] {
  const rows = new Array<Row>(block.numRows);
  for (let i = 0; i < block.numRows; i++) rows[i] = rowAt(block, i);
  return rows;
}

/**
 * A block from a batch function's result: an array of rows, or an object of equally long columns.
 * Anything else is a `BatchShapeError` naming what was wrong.
 */
export function blockFromBatch(batch: unknown, where: string): Block {
  if (Array.isArray(batch)) {
    for (const row of batch) {
      if (row === null || typeof row !== 'object' || Array.isArray(row)) {
        throw new BatchShapeError(`${where} returned an array holding ${JSON.stringify(row)}; return rows as objects ({ col: value }) or an object of columns.`);
      }
    }
    return blockFromRows(batch as Row[]);
  }
  if (batch === null || typeof batch !== 'object') {
    throw new BatchShapeError(`${where} returned ${String(batch)}; return an object of columns (name → array) or an array of row objects.`);
  }
  const columns: Record<string, Column> = {};
  let numRows = -1;
  let first = '';
  for (const [name, value] of Object.entries(batch as Record<string, unknown>)) {
    const col = asColumn(value);
    if (!col) throw new BatchShapeError(`${where} returned column "${name}" that is not an array; each column must be an array or typed array.`);
    if (numRows === -1) {
      numRows = col.length;
      first = name;
    } else if (col.length !== numRows) {
      throw new BatchShapeError(`${where} returned columns of different lengths: "${first}" has ${numRows} values, "${name}" has ${col.length}; return equally long columns.`);
    }
    columns[name] = col;
  }
  return { numRows: Math.max(numRows, 0), columns };
}

function asColumn(value: unknown): Column | undefined {
  if (value instanceof Float64Array) return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Float64Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return toColumn(value);
  return undefined;
}

/** The batch a user function sees: columns (copies of the block's, so the function may keep them) or rows. */
export function blockToColumns(block: Block): Record<string, Column> {
  return { ...block.columns };
}

export function sliceBlock(block: Block, start: number, end: number): Block {
  const columns: Record<string, Column> = {};
  for (const [name, col] of Object.entries(block.columns)) columns[name] = col.slice(start, end);
  return { numRows: Math.max(0, Math.min(end, block.numRows) - start), columns };
}

export function takeIndices(block: Block, indices: ArrayLike<number>): Block {
  const columns: Record<string, Column> = {};
  for (const [name, col] of Object.entries(block.columns)) {
    if (col instanceof Float64Array) {
      const out = new Float64Array(indices.length);
      for (let i = 0; i < indices.length; i++) out[i] = col[indices[i] as number] as number;
      columns[name] = out;
    } else {
      const out = new Array<unknown>(indices.length);
      for (let i = 0; i < indices.length; i++) out[i] = col[indices[i] as number];
      columns[name] = out;
    }
  }
  return { numRows: indices.length, columns };
}

/** Blocks end to end; a column missing from some blocks is null there. */
export function concatBlocks(blocks: Block[]): Block {
  const nonEmpty = blocks.filter((b) => b.numRows > 0);
  if (nonEmpty.length === 1) return nonEmpty[0] as Block;
  const names: string[] = [];
  for (const b of nonEmpty) for (const n of Object.keys(b.columns)) if (!names.includes(n)) names.push(n);
  const numRows = nonEmpty.reduce((s, b) => s + b.numRows, 0);
  const columns: Record<string, Column> = {};
  for (const name of names) {
    const numeric = nonEmpty.every((b) => b.columns[name] instanceof Float64Array);
    const out: Column = numeric ? new Float64Array(numRows) : new Array<unknown>(numRows);
    let at = 0;
    for (const b of nonEmpty) {
      const col = b.columns[name];
      if (numeric) (out as Float64Array).set(col as Float64Array, at);
      else for (let i = 0; i < b.numRows; i++) (out as unknown[])[at + i] = col ? col[i] : null;
      at += b.numRows;
    }
    columns[name] = out;
  }
  return { numRows, columns };
}

/** Approximate bytes a block holds: exact for typed arrays, an estimate for plain values. */
export function blockBytes(block: Block): number {
  let bytes = 0;
  for (const col of Object.values(block.columns)) {
    if (col instanceof Float64Array) bytes += col.byteLength;
    else for (const v of col) bytes += valueBytes(v);
  }
  return bytes;
}

function valueBytes(v: unknown): number {
  if (typeof v === 'string') return 16 + 2 * v.length;
  if (v === null || typeof v !== 'object') return 8;
  if (ArrayBuffer.isView(v)) return v.byteLength;
  return 16 + JSON.stringify(v).length * 2;
}

/** Column name → type name, as `schema()` reports it. */
export function blockSchema(block: Block): Record<string, string> {
  const schema: Record<string, string> = {};
  for (const [name, col] of Object.entries(block.columns)) {
    if (col instanceof Float64Array) {
      schema[name] = 'number';
      continue;
    }
    const types = new Set<string>();
    for (const v of col) if (v !== null && v !== undefined) types.add(Array.isArray(v) ? 'array' : ArrayBuffer.isView(v) ? 'typed array' : typeof v);
    schema[name] = types.size === 0 ? 'null' : [...types].sort().join(' | ');
  }
  return schema;
}

export function requireColumn(block: Block, name: string, call: string): Column {
  const col = block.columns[name];
  if (!col) {
    throw new ColumnNotFoundError(`${call}: no column "${name}"; the dataset has ${Object.keys(block.columns).map((n) => `"${n}"`).join(', ') || 'no columns'}.`);
  }
  return col;
}
