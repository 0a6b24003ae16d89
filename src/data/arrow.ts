import type { Table } from '@uwdata/flechette';
import { RayboxUsageError } from '../core/errors.ts';
import { toColumn, type Block, type Column } from './block.ts';
import { DataError } from './errors.ts';

/**
 * Arrow interop at the edges of a dataset: `data.fromArrow(table)`, `ds.toArrow()` and batches in
 * the `'arrow'` format. Blocks stay typed-array columns inside (see block.ts); Flechette, a small
 * Apache Arrow library (about 45 KB minified), is imported only when an Arrow table is to be made
 * or IPC bytes read, so neither the start page nor a worker that never sees Arrow loads it.
 */

/** What this module reads of an Arrow table: Flechette's and apache-arrow's `Table` both have it. */
export interface ArrowTableLike {
  numRows: number;
  schema: { fields: readonly { name: string }[] };
  getChild(name: string): { toArray(): unknown } | null;
}

export function isArrowTable(value: unknown): value is ArrowTableLike {
  if (value === null || typeof value !== 'object') return false;
  const t = value as Partial<ArrowTableLike>;
  return typeof t.numRows === 'number' && typeof t.getChild === 'function' && Array.isArray(t.schema?.fields);
}

/** A table's columns as a block: numbers become `Float64Array`s, everything else plain arrays. No library needed. */
export function tableToBlock(table: ArrowTableLike): Block {
  const columns: Record<string, Column> = {};
  for (const { name } of table.schema.fields) {
    const child = table.getChild(name);
    columns[name] = child ? fromArrowValues(child.toArray()) : new Array<unknown>(table.numRows).fill(null);
  }
  return { numRows: table.numRows, columns };
}

function fromArrowValues(values: unknown): Column {
  if (values instanceof Float64Array) return values;
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) return Float64Array.from(values, Number);
  if (ArrayBuffer.isView(values)) return Float64Array.from(values as unknown as ArrayLike<number>);
  return toColumn(Array.from(values as ArrayLike<unknown>, (v) => (typeof v === 'bigint' ? Number(v) : v ?? null)));
}

/** A block from an Arrow table or Arrow IPC bytes (the stream or file format). */
export async function arrowToBlock(input: unknown): Promise<Block> {
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
    const { tableFromIPC } = await import('@uwdata/flechette');
    try {
      return tableToBlock(tableFromIPC(input instanceof ArrayBuffer ? new Uint8Array(input) : input));
    } catch (cause) {
      throw new DataError(`fromArrow: the bytes are not Arrow IPC data (${String(cause)}); pass an Arrow table or the bytes of an Arrow IPC stream or file.`);
    }
  }
  if (isArrowTable(input)) return tableToBlock(input);
  throw new RayboxUsageError('fromArrow takes an Arrow table (Flechette or apache-arrow) or Arrow IPC bytes (a Uint8Array or ArrayBuffer).');
}

/** A block as a Flechette `Table`; `tableToIPC(table)` from the same package gives bytes any Arrow library reads. */
export async function blockToArrow(block: Block): Promise<Table> {
  const { tableFromArrays } = await import('@uwdata/flechette');
  try {
    return tableFromArrays(block.columns as Record<string, Float64Array | unknown[]>);
  } catch (cause) {
    throw new DataError(`toArrow: a column could not become an Arrow column (${String(cause)}); give each column values of one type (numbers, strings, booleans, or nulls among them).`);
  }
}
