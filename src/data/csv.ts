import { csvFormatRows, csvParseRows } from 'd3-dsv';
import { blockFromRows, toColumn, type Block, type Column } from './block.ts';
import { CsvParseError } from './errors.ts';

/**
 * A CSV file (RFC 4180: quoted fields, escaped quotes, newlines inside quotes; d3-dsv parses it)
 * with a header row, parsed straight into columns: d3-dsv hands over each record as it reads it,
 * and every field goes at once into its column, a number into a growing `Float64Array` while the
 * column is still numeric. No record is kept and no row object is made. A column whose non-empty
 * fields are all numbers is numeric (empty fields become NaN), `true`/`false` columns are booleans,
 * else strings. A record with a different number of fields than the header is a `CsvParseError`
 * naming the file and the record.
 */
export function parseCsv(text: string, file: string): Block {
  let header: string[] | undefined;
  let builders: ColumnBuilder[] = [];
  let numRows = 0;
  // A trailing newline gives no record in d3-dsv; a blank line gives ['']: blank lines count as
  // rows only once a record follows them, so blank lines at the end are dropped.
  let blanks = 0;
  const add = (fields: string[], r: number): void => {
    const h = header as string[];
    if (fields.length !== h.length) {
      throw new CsvParseError(
        `${file}: row ${r} (line ${r + 1} if no field spans lines) has ${fields.length} fields but the header has ${h.length} (${h.join(', ')}); fix that row or quote fields that contain commas.`,
      );
    }
    for (let c = 0; c < fields.length; c++) (builders[c] as ColumnBuilder).push(fields[c] as string, numRows);
    numRows++;
  };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  csvParseRows(body, (fields, r) => {
    if (!header) {
      header = fields;
      builders = fields.map(() => new ColumnBuilder());
    } else if (fields.length === 1 && fields[0] === '') {
      blanks++;
    } else {
      for (; blanks > 0; blanks--) add([''], r - blanks);
      add(fields, r);
    }
    return null; // nothing kept: the fields are in the columns now
  });
  if (!header) return { numRows: 0, columns: {} };
  // A column read as numbers that turned out to hold text further down: its fields again, as strings.
  const lost = builders.filter((b) => b.lostRows > 0);
  if (lost.length > 0) {
    let row = -1;
    csvParseRows(body, (fields) => {
      if (row >= 0 && !(fields.length === 1 && fields[0] === '')) {
        for (const b of lost) if (row < b.lostRows) b.raw[row] = fields[builders.indexOf(b)] as string;
      }
      row++;
      return null;
    });
  }
  const columns: Record<string, Column> = {};
  header.forEach((name, c) => {
    columns[name] = (builders[c] as ColumnBuilder).finish(numRows);
  });
  return { numRows, columns };
}

/**
 * One column as it is read: numbers go into a `Float64Array` (doubled as it fills) while every
 * field so far was a number or empty, and no string is kept; from the first field that is not a
 * number on, the strings are. The rows before it (`lostRows`, rare: a numeric-looking column with
 * text further down) are read again at the end.
 */
class ColumnBuilder {
  numbers: Float64Array | null = new Float64Array(1024);
  raw: string[] = [];
  lostRows = 0;
  boolean = true;
  any = false;

  push(field: string, row: number): void {
    if (!this.numbers) this.raw[row] = field;
    if (field === '') {
      if (this.numbers) this.#number(NaN, row);
      return;
    }
    this.any = true;
    if (this.numbers) {
      const n = +field;
      if (n === n && isDecimal(field)) this.#number(n, row);
      else {
        this.numbers = null;
        this.lostRows = row;
        this.raw.length = row;
        this.raw[row] = field;
      }
    }
    if (this.boolean && field !== 'true' && field !== 'false') this.boolean = false;
  }

  #number(n: number, row: number): void {
    let numbers = this.numbers as Float64Array;
    if (row === numbers.length) {
      const grown = new Float64Array(numbers.length * 2);
      grown.set(numbers);
      this.numbers = numbers = grown;
    }
    numbers[row] = n;
  }

  finish(numRows: number): Column {
    if (this.any && this.numbers) return this.numbers.slice(0, numRows);
    if (this.any && this.boolean) return this.raw.map((v) => (v === '' ? null : v === 'true'));
    return this.any ? this.raw : new Array<string>(numRows).fill('');
  }
}

/**
 * `+field` is a number for more than decimal notation: whitespace only, hex, binary, octal,
 * `Infinity`. Those stay strings, as a reader of the file would expect; checked with a few
 * character codes, not a regular expression per field.
 */
function isDecimal(field: string): boolean {
  const first = field.charCodeAt(0);
  const last = field.charCodeAt(field.length - 1);
  if (first <= 32 || last <= 32) {
    const trimmed = field.trim();
    return trimmed !== '' && isDecimal(trimmed);
  }
  // A decimal number ends in a digit or '.'.
  if (!((last >= 48 && last <= 57) || last === 46)) return false;
  if (first === 48 && field.length > 1) {
    const second = field.charCodeAt(1) | 32;
    if (second === 120 || second === 98 || second === 111) return false; // 0x, 0b, 0o
  }
  return true;
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
