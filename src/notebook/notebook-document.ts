import { DEFAULT_LANGUAGE, type Cell, type CellType, type CodeLanguage } from './cell.ts';
import { NOTEBOOK_FORMAT, NOTEBOOK_VERSION, type CellFile, type NotebookFile } from './format.ts';
import type { SavedRun } from './saved-output.ts';

/** What changed in a document; views redraw from these, autosave saves on any of them. */
export type DocumentChange =
  | { type: 'insert'; cell: Cell; index: number }
  | { type: 'remove'; cell: Cell; index: number }
  | { type: 'move'; cell: Cell; from: number; to: number }
  | { type: 'source'; cell: Cell }
  | { type: 'convert'; cell: Cell }
  | { type: 'title' }
  /** What a cell shows changed (a run, new outputs, a clear): saved with the notebook. */
  | { type: 'outputs'; cell: Cell }
  /** Everything was replaced (import, a share link, an example). */
  | { type: 'replace' };

/**
 * An open notebook: its title and ordered cells, and every edit made to them. Knows nothing of
 * the DOM or of running code. Invariant: cell ids are unique and never reused in one document.
 */
export class NotebookDocument {
  #title: string;
  #cells: Cell[] = [];
  #listeners = new Set<(change: DocumentChange) => void>();
  #nextId: () => string;
  #outputsOf: (cell: Cell) => SavedRun | undefined = (cell) => cell.previous;

  constructor(file?: NotebookFile, options: { idSource?: () => string } = {}) {
    let counter = 0;
    this.#nextId = options.idSource ?? (() => `cell-${(++counter).toString(36)}`);
    this.#title = file?.title ?? 'Untitled';
    if (file) this.#cells = file.cells.map((cell) => this.#fromFile(cell));
  }

  get title(): string {
    return this.#title;
  }

  set title(title: string) {
    if (title === this.#title) return;
    this.#title = title;
    this.#emit({ type: 'title' });
  }

  get cells(): readonly Cell[] {
    return this.#cells;
  }

  cell(id: string): Cell | undefined {
    return this.#cells.find((cell) => cell.id === id);
  }

  indexOf(id: string): number {
    return this.#cells.findIndex((cell) => cell.id === id);
  }

  /** Adds a cell at `index` (the end by default) and returns it; code cells are TypeScript unless told. */
  insert(type: CellType, options: { index?: number; source?: string; language?: CodeLanguage } = {}): Cell {
    const index = clamp(options.index ?? this.#cells.length, 0, this.#cells.length);
    const cell = this.#make(type, options.source ?? '', options.language ?? DEFAULT_LANGUAGE);
    this.#cells.splice(index, 0, cell);
    this.#emit({ type: 'insert', cell, index });
    return cell;
  }

  remove(id: string): void {
    const index = this.indexOf(id);
    if (index < 0) return;
    const [cell] = this.#cells.splice(index, 1);
    if (cell) this.#emit({ type: 'remove', cell, index });
  }

  /** Moves a cell `delta` places (negative: up); stays put at either end. */
  move(id: string, delta: number): void {
    const from = this.indexOf(id);
    if (from < 0) return;
    const to = clamp(from + delta, 0, this.#cells.length - 1);
    if (to === from) return;
    const [cell] = this.#cells.splice(from, 1);
    if (!cell) return;
    this.#cells.splice(to, 0, cell);
    this.#emit({ type: 'move', cell, from, to });
  }

  setSource(id: string, source: string): void {
    const cell = this.cell(id);
    if (!cell || cell.source === source) return;
    cell.source = source;
    this.#emit({ type: 'source', cell });
  }

  /** Makes a cell markdown or code (keeping its text), or changes a code cell's language. */
  convert(id: string, type: CellType, language?: CodeLanguage): void {
    const cell = this.cell(id);
    if (!cell) return;
    const nextLanguage = language ?? cell.language;
    if (cell.type === type && cell.language === nextLanguage) return;
    cell.type = type;
    cell.language = nextLanguage;
    this.#emit({ type: 'convert', cell });
  }

  /** Replaces the whole notebook; the caller has already validated `file`. */
  replace(file: NotebookFile): void {
    this.#title = file.title;
    this.#cells = file.cells.map((cell) => this.#fromFile(cell));
    this.#emit({ type: 'replace' });
  }

  /** Where `toFile` reads each cell's outputs from (the session, which knows the live runs). */
  setOutputSource(outputsOf: (cell: Cell) => SavedRun | undefined): void {
    this.#outputsOf = outputsOf;
  }

  /** Says that what `cellId` shows changed, so it is saved again. */
  outputsChanged(cellId: string): void {
    const cell = this.cell(cellId);
    if (cell) this.#emit({ type: 'outputs', cell });
  }

  toFile(): NotebookFile {
    return {
      format: NOTEBOOK_FORMAT,
      version: NOTEBOOK_VERSION,
      title: this.#title,
      cells: this.#cells.map((cell): CellFile => {
        if (cell.type !== 'code') return { type: 'markdown', source: cell.source };
        const saved = this.#outputsOf(cell);
        return saved && saved.outputs.length > 0
          ? { type: 'code', language: cell.language, source: cell.source, executionCount: saved.executionCount, outputs: saved.outputs }
          : { type: 'code', language: cell.language, source: cell.source };
      }),
    };
  }

  onChange(listener: (change: DocumentChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #fromFile(file: CellFile): Cell {
    const cell = this.#make(file.type, file.source, file.language ?? 'javascript');
    if (file.type === 'code' && file.outputs && file.outputs.length > 0) cell.previous = { executionCount: file.executionCount ?? null, outputs: file.outputs };
    return cell;
  }

  #make(type: CellType, source: string, language: CodeLanguage): Cell {
    return { id: this.#nextId(), type, language, source };
  }

  #emit(change: DocumentChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
