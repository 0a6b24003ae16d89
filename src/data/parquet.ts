import { parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { blockFromRows, type Block, type Column, type Row } from './block.ts';
import { DataSourceError } from './errors.ts';

/** A Parquet file (hyparquet; Snappy built in) as a block. 64-bit integers become numbers. */
export async function parseParquet(buffer: ArrayBuffer, file: string): Promise<Block> {
  let rows: Record<string, unknown>[];
  try {
    rows = (await parquetReadObjects({ file: buffer })) as Record<string, unknown>[];
  } catch (cause) {
    throw new DataSourceError(`${file}: not a readable Parquet file (${String(cause)}); check that it is Parquet, or read it with readCsv/readJson.`);
  }
  return blockFromRows(rows.map((row) => {
    const out: Row = {};
    for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'bigint' ? Number(v) : v;
    return out;
  }));
}

/** A block as a Parquet file (hyparquet-writer): numbers as DOUBLE, strings, booleans, anything else as JSON. */
export function formatParquet(block: Block): ArrayBuffer {
  const columnData = Object.entries(block.columns).map(([name, col]) => ({ name, data: Array.from(col as ArrayLike<unknown>), type: parquetType(col) }));
  return parquetWriteBuffer({ columnData } as Parameters<typeof parquetWriteBuffer>[0]);
}

function parquetType(col: Column): 'DOUBLE' | 'STRING' | 'BOOLEAN' | 'JSON' {
  if (col instanceof Float64Array) return 'DOUBLE';
  const present = col.filter((v) => v !== null && v !== undefined);
  if (present.length > 0 && present.every((v) => typeof v === 'string')) return 'STRING';
  if (present.length > 0 && present.every((v) => typeof v === 'boolean')) return 'BOOLEAN';
  if (present.length > 0 && present.every((v) => typeof v === 'number')) return 'DOUBLE';
  return 'JSON';
}
