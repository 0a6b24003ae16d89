import { csvFormatRows, csvParseRows } from 'd3-dsv';
import { blockFromRows, toColumn, type Block, type Column } from './block.ts';
import { CsvParseError } from './errors.ts';

const numberPattern = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A CSV file (RFC 4180: quoted fields, escaped quotes, newlines inside quotes; d3-dsv parses it)
 * with a header row. Types are inferred per column: a column whose non-empty fields are all
 * numbers is numeric (empty fields become NaN), `true`/`false` columns are booleans, else strings.
 * A record with a different number of fields than the header is a `CsvParseError` naming the file
 * and the record.
 */
export function parseCsv(text: string, file: string): Block {
  const records = csvParseRows(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  // A trailing newline gives no record in d3-dsv; a blank line in the middle gives [''].
  while (records.length > 0 && isBlank(records[records.length - 1] as string[])) records.pop();
  const header = records[0];
  if (!header) return { numRows: 0, columns: {} };
  const numRows = records.length - 1;
  for (let r = 1; r < records.length; r++) {
    const fields = records[r] as string[];
    if (fields.length !== header.length) {
      throw new CsvParseError(
        `${file}: row ${r} (line ${r + 1} if no field spans lines) has ${fields.length} fields but the header has ${header.length} (${header.join(', ')}); fix that row or quote fields that contain commas.`,
      );
    }
  }
  const columns: Record<string, Column> = {};
  header.forEach((name, c) => {
    const raw = new Array<string>(numRows);
    for (let r = 0; r < numRows; r++) raw[r] = (records[r + 1] as string[])[c] as string;
    columns[name] = inferColumn(raw);
  });
  return { numRows, columns };
}

function isBlank(fields: string[]): boolean {
  return fields.length === 1 && fields[0] === '';
}

function inferColumn(raw: string[]): Column {
  let numeric = true;
  let boolean = true;
  let any = false;
  for (const v of raw) {
    if (v === '') continue;
    any = true;
    if (numeric && !numberPattern.test(v.trim())) numeric = false;
    if (boolean && v !== 'true' && v !== 'false') boolean = false;
    if (!numeric && !boolean) break;
  }
  if (any && numeric) return Float64Array.from(raw, (v) => (v === '' ? NaN : Number(v)));
  if (any && boolean) return raw.map((v) => (v === '' ? null : v === 'true'));
  return raw.map((v) => v);
}

/** A block as CSV text with a header; d3-dsv quotes what needs quoting. */
export function formatCsv(block: Block): string {
  const names = Object.keys(block.columns);
  const rows: string[][] = [names];
  for (let i = 0; i < block.numRows; i++) {
    rows.push(names.map((n) => cell((block.columns[n] as Column)[i])));
  }
  return csvFormatRows(rows) + '\n';
}

function cell(v: unknown): string {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** JSON Lines or a JSON array of rows. */
export function parseJson(text: string, file: string): Block {
  const trimmed = text.trim();
  let rows: unknown[];
  try {
    rows = trimmed.startsWith('[') ? (JSON.parse(trimmed) as unknown[]) : trimmed.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
  } catch (cause) {
    throw new CsvParseError(`${file}: not JSON or JSON Lines (${String(cause)}); give a JSON array of objects or one object per line.`);
  }
  return blockFromRows(rows.map((r) => (r !== null && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : { item: r })));
}

export function formatJsonLines(block: Block): string {
  const names = Object.keys(block.columns);
  let out = '';
  for (let i = 0; i < block.numRows; i++) {
    const row: Record<string, unknown> = {};
    for (const n of names) row[n] = (block.columns[n] as Column)[i];
    out += JSON.stringify(row) + '\n';
  }
  return out;
}

/** One `{ text }` row per line, as Ray's `read_text`. */
export function parseText(text: string): Block {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return { numRows: lines.length, columns: { text: toColumn(lines) } };
}
