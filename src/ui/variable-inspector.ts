import { el } from './dom.ts';
import { previewText } from './value-view.ts';

/** One row of the inspector: a name the cells declared, its type, size and a preview. */
export interface VariableRow {
  name: string;
  type: string;
  size: string;
  preview: string;
}

/**
 * The names cells have declared (the kernel's shared scope), with type, size and value, as
 * Colab's and JupyterLab's variable inspectors show them. `rows` is pure, for tests and reuse.
 */
export function variableRows(scope: Readonly<Record<string, unknown>>): VariableRow[] {
  return Object.keys(scope)
    .sort((a, b) => a.localeCompare(b))
    .map((name) => {
      const value = scope[name];
      return { name, type: typeOf(value), size: sizeOf(value), preview: oneLine(previewText(value)) };
    });
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'object' || typeof value === 'function') {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof value === 'function') return /^class\s/.test(Function.prototype.toString.call(value)) ? 'class' : 'function';
    return typeof name === 'string' && name !== '' ? name : 'Object';
  }
  return typeof value;
}

function sizeOf(value: unknown): string {
  if (typeof value === 'string') return `${value.length} chars`;
  if (Array.isArray(value)) return `${value.length} items`;
  if (ArrayBuffer.isView(value)) return `${value.byteLength.toLocaleString()} bytes`;
  if (value instanceof ArrayBuffer) return `${value.byteLength.toLocaleString()} bytes`;
  if (value instanceof Map || value instanceof Set) return `${value.size} entries`;
  if (typeof value === 'object' && value !== null) {
    const shape = (value as { shape?: unknown }).shape;
    if (Array.isArray(shape) && typeof (value as { dtype?: unknown }).dtype === 'string') return `[${shape.join(', ')}]`;
    return `${Object.keys(value).length} keys`;
  }
  return '';
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}

/** The inspector panel (`data-variables`): a table redrawn by `refresh`. */
export class VariableInspector {
  readonly element: HTMLElement;
  #body = el('tbody');
  #scope: () => Readonly<Record<string, unknown>>;

  constructor(scope: () => Readonly<Record<string, unknown>>) {
    this.#scope = scope;
    this.element = el(
      'section',
      { className: 'rb-variables', 'data-variables': '', 'aria-label': 'Variables', hidden: true },
      el('h3', {}, 'Variables'),
      el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Name'), el('th', {}, 'Type'), el('th', {}, 'Size'), el('th', {}, 'Value'))), this.#body),
    );
  }

  get open(): boolean {
    return !this.element.hidden;
  }

  toggle(open = !this.open): void {
    this.element.hidden = !open;
    if (open) this.refresh();
  }

  refresh(): void {
    if (!this.open) return;
    const rows = variableRows(this.#scope());
    this.#body.replaceChildren(
      ...(rows.length === 0
        ? [el('tr', {}, el('td', { colspan: 4, className: 'rb-muted' }, 'No names yet: run a cell that declares one.'))]
        : rows.map((row) =>
            el('tr', { 'data-variable': row.name }, el('td', { className: 'rb-mono' }, row.name), el('td', {}, row.type), el('td', {}, row.size), el('td', { className: 'rb-mono' }, row.preview)),
          )),
    );
  }
}
