import type { Cell, CellType } from '../notebook/cell.ts';
import type { DocumentChange } from '../notebook/notebook-document.ts';
import type { NotebookSession, SessionChange } from '../notebook/notebook-session.ts';
import type { Match } from '../notebook/find.ts';
import { CellView, type CellHost } from './cell-view.ts';
import { CommandPalette, type Command } from './command-palette.ts';
import { button, el } from './dom.ts';
import { FindReplace } from './find-replace.ts';
import { ShortcutHelp } from './shortcut-help.ts';
import { VariableInspector } from './variable-inspector.ts';

export interface NotebookViewOptions {
  /** Shows "Restart" and the kernel state; the embed leaves them out. @default true */
  fullToolbar?: boolean;
}

/**
 * The notebook: a toolbar ("Run all", "Interrupt", "Add code cell", "Add text cell", "Restart")
 * and the cells. Keys follow Jupyter: in a cell's editor (edit mode) Shift+Enter runs and moves
 * on, Ctrl/Cmd+Enter runs, Escape leaves for command mode; in command mode Enter edits, Shift+Enter
 * and Ctrl+Enter run, A/B add a cell above/below, D D deletes, M/Y make text/code, ↑/↓ (K/J) move
 * the selection.
 */
export class NotebookView implements CellHost {
  readonly element: HTMLElement;
  #session: NotebookSession;
  #views = new Map<string, CellView>();
  #cells = el('div', { className: 'rb-cells' });
  #interrupt: HTMLButtonElement;
  #kernelState = el('span', { className: 'rb-kernel', 'data-kernel': 'idle', role: 'status' }, 'idle');
  #selected: string | null = null;
  #lastKey = '';
  /** Deleted cells, newest last, for `Z` and the toast's "Undo". */
  #deleted: { type: CellType; language: Cell['language']; source: string; index: number }[] = [];
  #toast = el('div', { className: 'rb-toast', role: 'status', 'data-toast': '', hidden: true });
  #toastTimer: ReturnType<typeof setTimeout> | undefined;
  readonly find: FindReplace;
  readonly variables: VariableInspector;
  readonly help = new ShortcutHelp();
  readonly palette = new CommandPalette(() => this.#commands());
  #unsubscribe: (() => void)[] = [];
  #onWindowKey: (event: KeyboardEvent) => void;
  #onBeforeInput: (event: InputEvent) => void;

  constructor(session: NotebookSession, options: NotebookViewOptions = {}) {
    this.#session = session;
    const full = options.fullToolbar ?? true;
    this.#interrupt = button('Interrupt', () => session.interrupt(), { text: '■ Interrupt', className: 'rb-interrupt', title: 'Interrupt: cancel the running cell and its tasks' });
    this.#interrupt.disabled = true;
    const toolbar = el(
      'div',
      { className: 'rb-toolbar', role: 'toolbar', 'aria-label': 'Notebook' },
      button('Run all', () => void session.runAll(), { text: '▶▶ Run all', className: 'rb-primary' }),
      this.#interrupt,
      button('Add code cell', () => this.#add('code'), { text: '+ Code' }),
      button('Add text cell', () => this.#add('markdown'), { text: '+ Text' }),
      full ? button('Restart', () => session.restart(), { text: '↻ Restart', title: 'Restart: forget every name the cells declared and clear outputs' }) : null,
      button('Run all above', () => this.#selected && void session.runAbove(this.#selected), { text: '⤒', className: 'rb-tool', title: 'Run all above the selected cell' }),
      button('Run from here', () => this.#selected && void session.runBelow(this.#selected), { text: '⤓', className: 'rb-tool', title: 'Run the selected cell and all below it' }),
      button('Clear all outputs', () => session.clearAllOutputs(), { text: '⌫ All', className: 'rb-tool', title: 'Clear the output of every cell' }),
      button('Find and replace', () => this.find.open(), { text: 'Find', className: 'rb-tool', title: 'Find and replace in all cells (F)' }),
      button('Variables', () => this.variables.toggle(), { text: '{x}', className: 'rb-tool', title: 'The names the cells declared (V)' }),
      button('Keyboard shortcuts', () => this.help.show(), { text: '?', className: 'rb-tool', title: 'Keyboard shortcuts (H)' }),
      full ? this.#kernelState : null,
    );
    this.find = new FindReplace(session.document, { reveal: (match) => this.#reveal(match) });
    this.variables = new VariableInspector(() => session.kernel.scope);
    this.element = el('div', { className: 'rb-notebook-view' }, toolbar, this.find.element, this.variables.element, this.#cells, this.#toast, this.help.element, this.palette.element);
    this.#cells.addEventListener('keydown', (event) => this.#commandKey(event));
    // Outside an editor, the browser's own undo would replay edits of whichever editor it last saw
    // (another cell's): undo there means "undo the last cell deletion", and nothing else.
    this.#onWindowKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.shiftKey && (event.key === 'P' || event.key === 'p')) {
        event.preventDefault();
        if (this.element.isConnected) this.palette.show();
        return;
      }
      if (!isUndoKey(event) || isTyping(event.target)) return;
      event.preventDefault();
      if (this.element.isConnected) this.undoDelete();
    };
    this.#onBeforeInput = (event: InputEvent) => {
      if ((event.inputType === 'historyUndo' || event.inputType === 'historyRedo') && !isTyping(event.target)) event.preventDefault();
    };
    globalThis.addEventListener('keydown', this.#onWindowKey);
    globalThis.addEventListener('beforeinput', this.#onBeforeInput);
    this.#unsubscribe.push(
      session.document.onChange((change) => this.#onDocument(change)),
      session.onChange((change) => this.#onSession(change)),
    );
    this.#rebuild();
  }

  get session(): NotebookSession {
    return this.#session;
  }

  destroy(): void {
    globalThis.removeEventListener('keydown', this.#onWindowKey);
    globalThis.removeEventListener('beforeinput', this.#onBeforeInput);
    clearTimeout(this.#toastTimer);
    for (const stop of this.#unsubscribe) stop();
    for (const view of this.#views.values()) view.destroy();
    this.#views.clear();
    this.element.remove();
  }

  // ── CellHost ──────────────────────────────────────────────────────────────────────────────

  run(cellId: string, advance: boolean): void {
    const view = this.#views.get(cellId);
    if (!view) return;
    if (view.cell.type === 'markdown') view.render();
    else void this.#session.run(cellId);
    if (!advance) return;
    const cells = this.#session.document.cells;
    const index = this.#session.document.indexOf(cellId);
    let next = cells[index + 1];
    if (!next) next = this.#session.document.insert('code', { index: index + 1 });
    this.select(next.id, next.type === 'code' ? 'edit' : 'command');
  }

  select(cellId: string, mode: 'command' | 'edit'): void {
    if (this.#selected !== cellId) {
      if (this.#selected) this.#views.get(this.#selected)?.setSelected(false);
      this.#selected = cellId;
    }
    const view = this.#views.get(cellId);
    if (!view) return;
    view.setSelected(true);
    if (mode === 'edit') view.focusEditor();
    else {
      view.blurEditor();
      if (document.activeElement !== view.element) view.element.focus({ preventScroll: true });
    }
    view.element.scrollIntoView({ block: 'nearest' });
  }

  setSource(cellId: string, source: string): void {
    this.#session.document.setSource(cellId, source);
  }

  setLanguage(cellId: string, language: Cell['language']): void {
    this.#session.document.convert(cellId, 'code', language);
  }

  move(cellId: string, delta: number): void {
    this.#session.document.move(cellId, delta);
  }

  convert(cellId: string): void {
    const cell = this.#session.document.cell(cellId);
    if (cell) this.#session.document.convert(cellId, cell.type === 'code' ? 'markdown' : 'code');
  }

  clearOutput(cellId: string): void {
    this.#session.clearOutputs(cellId);
  }

  /** What the command palette offers; the selected cell's commands only while one is selected. */
  #commands(): Command[] {
    const session = this.#session;
    const id = this.#selected;
    const commands: Command[] = [
      { name: 'Run all', run: () => void session.runAll() },
      { name: 'Interrupt', keys: 'I I', run: () => session.interrupt() },
      { name: 'Restart', run: () => session.restart() },
      { name: 'Clear all outputs', run: () => session.clearAllOutputs() },
      { name: 'Add code cell', keys: 'B', run: () => this.#add('code') },
      { name: 'Add text cell', run: () => this.#add('markdown') },
      { name: 'Undo cell deletion', keys: 'Z', run: () => void this.undoDelete() },
      { name: 'Find and replace', keys: 'F', run: () => this.find.open() },
      { name: 'Show or hide variables', keys: 'V', run: () => this.variables.toggle() },
      { name: 'Keyboard shortcuts', keys: 'H', run: () => this.help.show() },
    ];
    if (id) {
      commands.push(
        { name: 'Run all above', run: () => void session.runAbove(id) },
        { name: 'Run from here', run: () => void session.runBelow(id) },
        { name: 'Clear output', run: () => session.clearOutputs(id) },
        { name: 'Collapse or expand output', keys: 'O', run: () => this.#views.get(id)?.toggleCollapsed() },
        { name: 'Delete cell', keys: 'D D', run: () => this.remove(id) },
      );
    }
    return commands;
  }

  #reveal(match: Match): void {
    const view = this.#views.get(match.cellId);
    if (!view) return;
    this.select(match.cellId, 'command');
    view.selectText(match.from, match.to);
  }

  remove(cellId: string): void {
    const document = this.#session.document;
    const index = document.indexOf(cellId);
    const cell = document.cell(cellId);
    if (!cell) return;
    this.#deleted.push({ type: cell.type, language: cell.language, source: cell.source, index });
    document.remove(cellId);
    const next = document.cells[Math.min(index, document.cells.length - 1)];
    if (next) this.select(next.id, 'command');
    else this.#selected = null;
    this.#showToast(cell.type === 'code' ? 'Code cell deleted.' : 'Text cell deleted.');
  }

  /** Brings back the cell deleted last, where it was, and selects it. False when there is none. */
  undoDelete(): boolean {
    const last = this.#deleted.pop();
    this.#hideToast();
    if (!last) return false;
    const cell = this.#session.document.insert(last.type, { index: last.index, source: last.source, language: last.language });
    this.select(cell.id, 'command');
    return true;
  }

  #showToast(text: string): void {
    this.#toast.hidden = false;
    this.#toast.replaceChildren(el('span', {}, text), button('Undo', () => this.undoDelete(), { title: 'Undo the deletion (Z)' }));
    clearTimeout(this.#toastTimer);
    this.#toastTimer = setTimeout(() => this.#hideToast(), 10_000);
  }

  #hideToast(): void {
    clearTimeout(this.#toastTimer);
    this.#toast.hidden = true;
  }

  // ── events ────────────────────────────────────────────────────────────────────────────────

  #add(type: CellType, where: 'above' | 'below' = 'below'): void {
    const document = this.#session.document;
    const selected = this.#selected ? document.indexOf(this.#selected) : -1;
    const index = selected < 0 ? document.cells.length : where === 'above' ? selected : selected + 1;
    const cell = document.insert(type, { index });
    this.select(cell.id, 'edit');
  }

  #onDocument(change: DocumentChange): void {
    switch (change.type) {
      case 'insert': {
        const view = this.#makeView(change.cell);
        const before = this.#cells.children[change.index] ?? null;
        this.#cells.insertBefore(view.element, before);
        break;
      }
      case 'remove':
        this.#views.get(change.cell.id)?.destroy();
        this.#views.delete(change.cell.id);
        break;
      case 'move': {
        const view = this.#views.get(change.cell.id);
        if (!view) break;
        view.element.remove();
        this.#cells.insertBefore(view.element, this.#cells.children[change.to] ?? null);
        if (this.#selected === change.cell.id) view.element.focus({ preventScroll: true });
        break;
      }
      case 'convert':
        this.#views.get(change.cell.id)?.refresh();
        break;
      case 'source':
        // Edits typed in the editor are already there (refresh then changes nothing); this brings
        // in changes made elsewhere, such as "Replace all".
        this.#views.get(change.cell.id)?.refresh();
        break;
      case 'title':
      case 'outputs':
        break;
      case 'replace':
        this.#rebuild();
        break;
      default: {
        const unknownChange: never = change;
        void unknownChange;
      }
    }
  }

  #onSession(change: SessionChange): void {
    switch (change.type) {
      case 'queued':
        this.#views.get(change.cellId)?.setStatus('queued');
        break;
      case 'unqueued': {
        const view = this.#views.get(change.cellId);
        if (view) view.setStatus(this.#session.latestRun(change.cellId)?.status ?? 'idle');
        break;
      }
      case 'run':
        this.#views.get(change.cellId)?.showRun(change.run);
        break;
      case 'busy':
        this.#interrupt.disabled = !change.busy;
        this.#kernelState.textContent = change.busy ? 'busy' : 'idle';
        this.#kernelState.dataset['kernel'] = change.busy ? 'busy' : 'idle';
        this.element.classList.toggle('rb-busy-kernel', change.busy);
        if (!change.busy) this.variables.refresh();
        break;
      case 'restart':
        for (const view of this.#views.values()) view.showRun(undefined);
        this.variables.refresh();
        break;
      case 'cleared':
        this.#views.get(change.cellId)?.showRun(this.#session.latestRun(change.cellId));
        break;
      default: {
        const unknownChange: never = change;
        void unknownChange;
      }
    }
  }

  #makeView(cell: Cell): CellView {
    const view = new CellView(cell, this);
    this.#views.set(cell.id, view);
    // The latest run, else what the file kept from a previous one.
    view.showRun(this.#session.latestRun(cell.id));
    return view;
  }

  #rebuild(): void {
    for (const view of this.#views.values()) view.destroy();
    this.#views.clear();
    this.#selected = null;
    this.#cells.replaceChildren(...this.#session.document.cells.map((cell) => this.#makeView(cell).element));
  }

  /** Command-mode keys, on the selected cell (never while typing in an editor or a field). */
  #commandKey(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    if (target.closest('.cm-editor, input, select, textarea')) return;
    const id = this.#selected;
    if (!id) return;
    const document = this.#session.document;
    const index = document.indexOf(id);
    const key = event.key;
    // Ctrl+A, Ctrl+F … belong to the browser (Ctrl+Z to the window's undo listener).
    if ((event.ctrlKey || event.metaKey || event.altKey) && key.length === 1) return;
    const twice = this.#lastKey === key;
    this.#lastKey = key;
    let handled = true;
    if (key === 'Enter' && event.shiftKey) this.run(id, true);
    else if (key === 'Enter' && (event.ctrlKey || event.metaKey)) this.run(id, false);
    else if (key === 'Enter') this.select(id, 'edit');
    else if (key === 'ArrowUp' || key === 'k') {
      const previous = document.cells[index - 1];
      if (previous) this.select(previous.id, 'command');
    } else if (key === 'ArrowDown' || key === 'j') {
      const next = document.cells[index + 1];
      if (next) this.select(next.id, 'command');
    } else if (key === 'a') this.#add('code', 'above');
    else if (key === 'b') this.#add('code', 'below');
    else if (key === 'm') document.convert(id, 'markdown');
    else if (key === 'y') document.convert(id, 'code');
    else if (key === 'z' && !event.ctrlKey && !event.metaKey) this.undoDelete();
    else if (key === 'o') this.#views.get(id)?.toggleCollapsed();
    else if (key === 'f') this.find.open();
    else if (key === 'v') this.variables.toggle();
    else if (key === 'h') this.help.show();
    else if (key === 'p') this.palette.show();
    else if (key === 'i' && twice) {
      this.#lastKey = '';
      this.#session.interrupt();
    }
    else if (key === 'd' && twice) {
      this.#lastKey = '';
      this.remove(id);
    } else handled = key === 'd' || key === 'i';
    if (handled) event.preventDefault();
  }
}

function isUndoKey(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey && (event.key === 'z' || event.key === 'Z' || event.key === 'y');
}

/** True inside an editor or a form field, whose own undo applies. */
function isTyping(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('.cm-editor, input, select, textarea, [contenteditable="true"]') !== null;
}
