import { CELL_LINE_OFFSET } from '../notebook/compile.ts';
import { el } from './dom.ts';

/**
 * Renders any JavaScript value by its kind, as a notebook shows a cell's result: primitives as
 * text, arrays of records as a table, typed arrays and tensors as a summary, errors with the
 * remote stack of the task that raised them, DOM nodes as themselves, and everything else as a
 * tree that opens one level at a time (children are built only when opened).
 */

const MAX_TABLE_ROWS = 100;
const MAX_TABLE_COLUMNS = 20;
const MAX_ENTRIES = 200;
const PREVIEW_ITEMS = 8;

export interface ValueViewOptions {
  /** Strings as they are (console output) rather than quoted (results). */
  rawStrings?: boolean;
}

export function renderValue(value: unknown, options: ValueViewOptions = {}): HTMLElement {
  if (typeof value === 'string') {
    if (options.rawStrings) return el('span', { className: 'rb-v-text' }, value);
    return value.includes('\n') ? el('pre', { className: 'rb-v-text' }, value) : el('span', { className: 'rb-v-string' }, JSON.stringify(value));
  }
  if (isPrimitive(value)) return el('span', { className: `rb-v-${value === null ? 'null' : typeof value}` }, primitiveText(value));
  if (typeof value === 'function') return el('span', { className: 'rb-v-function' }, functionText(value));
  if (typeof Node !== 'undefined' && value instanceof Node) return el('div', { className: 'rb-v-node' }, value);
  if (value instanceof Error || isErrorLike(value)) return renderError(value as Error);
  if (isTensor(value)) return renderTensor(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return renderTypedArray(value as unknown as ArrayLike<number | bigint>);
  if (value instanceof ArrayBuffer) return el('span', { className: 'rb-v-summary' }, `ArrayBuffer(${value.byteLength} bytes)`);
  if (isRecordArray(value)) return renderTable(value);
  return renderTree(value as object, true);
}

/** A one-line preview of a value: what a tree's summary and a log line show. */
export function previewText(value: unknown, depth = 0): string {
  if (typeof value === 'string') return depth === 0 ? value : JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (isPrimitive(value)) return primitiveText(value);
  if (typeof value === 'function') return functionText(value);
  if (value instanceof Error || isErrorLike(value)) return `${(value as Error).name}: ${(value as Error).message}`;
  if (isTensor(value)) return `Tensor ${value.dtype} [${value.shape.join(', ')}]`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (isObjectRef(value)) return String(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) return `Map(${value.size})`;
  if (value instanceof Set) return `Set(${value.size})`;
  if (Array.isArray(value)) {
    if (depth > 1) return `Array(${value.length})`;
    const items = value.slice(0, PREVIEW_ITEMS).map((item) => previewText(item, depth + 1));
    return `[${items.join(', ')}${value.length > PREVIEW_ITEMS ? ', …' : ''}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const name = constructorName(value);
    if (depth > 1) return name === 'Object' ? '{…}' : name;
    const keys = Object.keys(value);
    const items = keys.slice(0, PREVIEW_ITEMS).map((key) => `${key}: ${previewText((value as Record<string, unknown>)[key], depth + 1)}`);
    return `${name === 'Object' ? '' : `${name} `}{${items.join(', ')}${keys.length > PREVIEW_ITEMS ? ', …' : ''}}`;
  }
  return String(value);
}

function isPrimitive(value: unknown): value is number | boolean | bigint | symbol | null | undefined {
  return value === null || (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'string');
}

function primitiveText(value: number | boolean | bigint | symbol | null | undefined): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  return String(value);
}

function functionText(fn: unknown): string {
  const source = Function.prototype.toString.call(fn);
  if (/^class[\s{]/.test(source)) return `class ${(fn as { name: string }).name || ''}`;
  const params = /^[^(]*\(([^)]*)\)/.exec(source)?.[1] ?? '';
  return `ƒ ${(fn as { name: string }).name || ''}(${params.trim()})`;
}

function constructorName(value: object): string {
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  if (proto === null) return 'Object';
  return proto.constructor?.name || 'Object';
}

function isErrorLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as Error).message === 'string' && typeof (value as Error).stack === 'string' && typeof (value as Error).name === 'string';
}

function isObjectRef(value: unknown): boolean {
  return typeof value === 'object' && value !== null && constructorName(value) === 'ObjectRef';
}

interface TensorLike {
  shape: number[];
  dtype: string;
  size: number;
  isDisposed?: boolean;
  dataSync(): ArrayLike<number> | string[];
}

/** TensorFlow.js tensors, recognised by shape and methods: the UI never imports TensorFlow.js. */
function isTensor(value: unknown): value is TensorLike {
  const t = value as Partial<TensorLike> | null;
  return typeof value === 'object' && value !== null && Array.isArray(t?.shape) && typeof t?.dtype === 'string' && typeof t?.dataSync === 'function';
}

function renderTensor(tensor: TensorLike): HTMLElement {
  const head = `Tensor ${tensor.dtype} [${tensor.shape.join(', ')}]`;
  if (tensor.isDisposed) return el('div', { className: 'rb-v-summary' }, `${head} (disposed)`);
  let data: ArrayLike<number> | string[];
  try {
    data = tensor.dataSync();
  } catch {
    return el('div', { className: 'rb-v-summary' }, head);
  }
  return el('div', { className: 'rb-v-summary' }, el('strong', {}, head), ' ', arraySummary(data));
}

function renderTypedArray(array: ArrayLike<number | bigint>): HTMLElement {
  const name = (array as unknown as object).constructor.name;
  return el('div', { className: 'rb-v-summary' }, el('strong', {}, `${name}(${array.length})`), ' ', arraySummary(array));
}

/** The first values and, for numbers, min / max / mean. */
function arraySummary(array: ArrayLike<unknown>): string {
  const first = Array.from({ length: Math.min(array.length, 8) }, (_, i) => formatNumber(array[i]));
  let text = `[${first.join(', ')}${array.length > 8 ? ', …' : ''}]`;
  if (array.length > 0 && typeof array[0] === 'number') {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let i = 0; i < array.length; i++) {
      const v = array[i] as number;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    text += `  min ${formatNumber(min)}  max ${formatNumber(max)}  mean ${formatNumber(sum / array.length)}`;
  }
  return text;
}

function formatNumber(value: unknown): string {
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1e-3 && Math.abs(value) < 1e6 ? String(Number(value.toPrecision(5))) : value.toExponential(3);
}

/** An array of at least one plain object (a list of records), shown as a table. */
function isRecordArray(value: unknown): value is Record<string, unknown>[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  return value.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item) && constructorName(item as object) === 'Object');
}

function renderTable(rows: Record<string, unknown>[]): HTMLElement {
  const columns: string[] = [];
  for (const row of rows.slice(0, MAX_TABLE_ROWS)) {
    for (const key of Object.keys(row)) if (!columns.includes(key) && columns.length < MAX_TABLE_COLUMNS) columns.push(key);
  }
  const head = el('tr', {}, el('th', {}, ''), ...columns.map((c) => el('th', {}, c)));
  const body = rows.slice(0, MAX_TABLE_ROWS).map((row, i) =>
    el('tr', {}, el('th', {}, String(i)), ...columns.map((c) => el('td', { className: typeof row[c] === 'number' ? 'rb-num' : undefined }, c in row ? cellText(row[c]) : ''))),
  );
  const wrap = el('div', { className: 'rb-v-table' }, el('table', {}, el('thead', {}, head), el('tbody', {}, ...body)));
  if (rows.length > MAX_TABLE_ROWS) wrap.append(el('div', { className: 'rb-muted' }, `… ${rows.length - MAX_TABLE_ROWS} more rows (${rows.length} in all)`));
  return wrap;
}

function cellText(value: unknown): string {
  return typeof value === 'number' ? formatNumber(value) : previewText(value, 1);
}

/** An object as a tree: a summary line that opens to its entries, built on first open. */
function renderTree(value: object, open: boolean, label?: string): HTMLElement {
  const entries = () => entriesOf(value);
  const summary = el('summary', {}, label !== undefined ? el('span', { className: 'rb-v-key' }, `${label}: `) : '', previewText(value));
  const details = el('details', { className: 'rb-v-tree' }, summary);
  let built = false;
  const build = () => {
    if (built) return;
    built = true;
    const list = el('div', { className: 'rb-v-entries' });
    const all = entries();
    for (const [key, child] of all.slice(0, MAX_ENTRIES)) {
      if (typeof child === 'object' && child !== null && !(child instanceof Error) && !isTensor(child) && !ArrayBuffer.isView(child) && !isObjectRef(child) && !(child instanceof Date) && !(typeof Node !== 'undefined' && child instanceof Node)) {
        list.append(renderTree(child, false, key));
      } else {
        list.append(el('div', { className: 'rb-v-entry' }, el('span', { className: 'rb-v-key' }, `${key}: `), child instanceof Error ? previewText(child) : renderValue(child)));
      }
    }
    if (all.length > MAX_ENTRIES) list.append(el('div', { className: 'rb-muted' }, `… ${all.length - MAX_ENTRIES} more`));
    details.append(list);
  };
  details.addEventListener('toggle', () => {
    if (details.open) build();
  });
  // A value whose one-line preview says it all stays closed, as Jupyter prints a short list on one line.
  if (open && !fitsPreview(value, 0) && entries().length <= 50) {
    details.open = true;
    build();
  }
  return details;
}

/** Whether `previewText` shows all of a value (nothing elided). */
function fitsPreview(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return value.length <= 60;
  if (typeof value !== 'object' || value === null) return true;
  if (depth > 1) return false;
  if (Array.isArray(value)) return value.length <= PREVIEW_ITEMS && value.every((item) => fitsPreview(item, depth + 1));
  if (constructorName(value) !== 'Object') return false;
  const keys = Object.keys(value);
  return keys.length <= PREVIEW_ITEMS && keys.every((key) => fitsPreview((value as Record<string, unknown>)[key], depth + 1));
}

function entriesOf(value: object): [string, unknown][] {
  if (value instanceof Map) return [...value.entries()].map(([k, v]) => [previewText(k, 1), v]);
  if (value instanceof Set) return [...value.values()].map((v, i) => [String(i), v]);
  return Object.keys(value).map((key) => [key, (value as Record<string, unknown>)[key]]);
}

/** Fields of raybox's TaskError (read by shape: the UI does not need its class). */
interface TaskErrorFields {
  remoteName: string;
  remoteMessage: string;
  remoteStack: string;
  taskName: string;
  nodeId: string;
}

function taskErrorFields(error: Error): TaskErrorFields | null {
  const e = error as Partial<TaskErrorFields>;
  return typeof e.remoteStack === 'string' && typeof e.taskName === 'string' ? (e as TaskErrorFields) : null;
}

/**
 * An error: for a task's error, the remote error and stack and the task and node it came from;
 * otherwise name, message and stack, with frames inside the cell named by line.
 */
export function renderError(error: Error, line: number | null = null): HTMLElement {
  const task = taskErrorFields(error);
  const box = el('div', { className: 'rb-error', role: 'group', 'aria-label': 'Error' });
  if (task) {
    box.append(
      el('div', { className: 'rb-error-head' }, `${task.remoteName}: ${task.remoteMessage}`),
      el('div', { className: 'rb-error-where' }, 'raised in task ', el('code', {}, task.taskName), ' on node ', el('code', {}, task.nodeId), ` (${error.name})`),
      el('pre', { className: 'rb-error-stack', 'data-remote-stack': '' }, task.remoteStack || '(no remote stack)'),
    );
    return box;
  }
  box.append(el('div', { className: 'rb-error-head' }, `${error.name}: ${error.message}`));
  if (line !== null) box.append(el('div', { className: 'rb-error-where' }, `at line ${line} of this cell`));
  const stack = cleanStack(error);
  if (stack) box.append(el('pre', { className: 'rb-error-stack' }, stack));
  return box;
}

/** The stack without its first line (the message) and with cell frames made readable. */
function cleanStack(error: Error): string {
  const stack = typeof error.stack === 'string' ? error.stack : '';
  return stack
    .split('\n')
    .filter((frameLine) => /^\s+at /.test(frameLine))
    .map((frameLine) => frameLine.replace(/\(?(?:eval at [^)]*\), )?raybox-cell-\d+\.js:(\d+):(\d+)\)?/, (_, l: string, c: string) => `(cell line ${Number(l) - CELL_LINE_OFFSET}:${c})`))
    .join('\n');
}
