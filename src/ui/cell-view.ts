import type { Cell } from '../notebook/cell.ts';
import type { CellRun, RunStatus } from '../notebook/cell-run.ts';
import { CodeEditor } from './code-editor.ts';
import { button, el } from './dom.ts';
import { renderMarkdown } from './markdown.ts';
import { OutputView } from './output-view.ts';

/** What a cell asks of the notebook around it. */
export interface CellHost {
  run(cellId: string, advance: boolean): void;
  select(cellId: string, mode: 'command' | 'edit'): void;
  setSource(cellId: string, source: string): void;
  setLanguage(cellId: string, language: Cell['language']): void;
  move(cellId: string, delta: number): void;
  convert(cellId: string): void;
  remove(cellId: string): void;
  clearOutput(cellId: string): void;
}

export type CellStatus = 'idle' | 'queued' | RunStatus;

/**
 * One cell (`data-cell`): the gutter with its execution counter, "Run" button and busy indicator;
 * its tools (language, move, convert, delete); the editor, or for a text cell its rendered
 * Markdown until it is edited; and its output (`data-output`).
 */
export class CellView {
  readonly element: HTMLElement;
  readonly output = new OutputView();
  #cell: Cell;
  #host: CellHost;
  #editor: CodeEditor | null = null;
  #editorHost = el('div', { className: 'rb-editor' });
  #rendered = el('div', { className: 'rb-rendered' });
  #count = el('span', { className: 'rb-count', 'aria-label': 'Execution count' }, '[ ]');
  #tools = el('div', { className: 'rb-cell-tools' });
  #language = el('select', { 'aria-label': 'Language', className: 'rb-language' }, el('option', { value: 'javascript' }, 'JavaScript'), el('option', { value: 'typescript' }, 'TypeScript'));
  #convertButton: HTMLButtonElement;
  #editing = false;
  #lastRun: CellRun | undefined;
  /** The bar beside the output: a click folds it away (Jupyter's collapse), another shows it. */
  #collapse = el('button', { type: 'button', className: 'rb-collapse', 'aria-label': 'Collapse output', 'aria-expanded': 'true', title: 'Collapse output (O)' });

  constructor(cell: Cell, host: CellHost) {
    this.#cell = cell;
    this.#host = host;
    const run = button('Run', () => host.run(cell.id, false), { text: '▶', className: 'rb-run', title: 'Run (Ctrl+Enter; Shift+Enter runs and moves on)' });
    this.#convertButton = button('Convert to text', () => host.convert(cell.id), { text: 'T', className: 'rb-tool' });
    this.#language.addEventListener('change', () => host.setLanguage(cell.id, this.#language.value as Cell['language']));
    this.#tools.append(
      this.#language,
      button('Move cell up', () => host.move(cell.id, -1), { text: '↑', className: 'rb-tool' }),
      button('Move cell down', () => host.move(cell.id, 1), { text: '↓', className: 'rb-tool' }),
      this.#convertButton,
      button('Clear output', () => host.clearOutput(cell.id), { text: '⌫', className: 'rb-tool', title: 'Clear output (O O toggles collapse)' }),
      button('Delete cell', () => host.remove(cell.id), { text: '✕', className: 'rb-tool rb-danger', title: 'Delete cell (D D; Z undoes)' }),
    );
    this.#collapse.addEventListener('click', () => this.toggleCollapsed());
    this.element = el(
      'section',
      { className: 'rb-cell', 'data-cell': cell.id, tabindex: -1 },
      el('div', { className: 'rb-gutter' }, this.#count, run, el('span', { className: 'rb-busy', 'aria-hidden': 'true' })),
      el('div', { className: 'rb-cell-main' }, this.#tools, this.#editorHost, this.#rendered, el('div', { className: 'rb-output-area' }, this.#collapse, this.output.element)),
    );
    this.element.addEventListener('mousedown', (event) => {
      if (!(event.target as HTMLElement).closest('.cm-editor, button, select, a, input')) host.select(cell.id, 'command');
    });
    this.#rendered.addEventListener('dblclick', () => this.edit());
    this.setStatus('idle');
    this.refresh();
  }

  get cell(): Cell {
    return this.#cell;
  }

  get editing(): boolean {
    return this.#cell.type === 'code' || this.#editing;
  }

  /** Brings the view in line with the cell's type, language and source. */
  refresh(): void {
    const cell = this.#cell;
    this.element.dataset['type'] = cell.type;
    this.element.setAttribute('aria-label', cell.type === 'code' ? 'Code cell' : 'Text cell');
    this.#language.hidden = cell.type !== 'code';
    this.#language.value = cell.language;
    this.#convertButton.setAttribute('aria-label', cell.type === 'code' ? 'Convert to text' : 'Convert to code');
    this.#convertButton.title = cell.type === 'code' ? 'Convert to text (M)' : 'Convert to code (Y)';
    this.#convertButton.textContent = cell.type === 'code' ? 'T' : '{}';
    const showEditor = cell.type === 'code' || this.#editing || cell.source.trim() === '';
    if (showEditor) {
      const language = cell.type === 'code' ? cell.language : 'markdown';
      if (!this.#editor) {
        this.#editor = new CodeEditor(this.#editorHost, {
          doc: cell.source,
          language,
          onChange: (text) => this.#host.setSource(cell.id, text),
          onFocus: () => this.#host.select(cell.id, 'edit'),
          keys: {
            run: () => this.#host.run(cell.id, false),
            runAndAdvance: () => this.#host.run(cell.id, true),
            escape: () => this.#host.select(cell.id, 'command'),
          },
        });
      } else {
        this.#editor.setLanguage(language);
        this.#editor.text = cell.source;
      }
      if (cell.type === 'markdown') this.#editing = true;
    }
    this.#editorHost.hidden = !showEditor;
    this.#rendered.hidden = showEditor;
    if (!showEditor) this.#rendered.replaceChildren(renderMarkdown(cell.source));
    this.output.element.hidden = cell.type !== 'code' || this.collapsed;
    this.#collapse.hidden = cell.type !== 'code';
  }

  get collapsed(): boolean {
    return this.element.dataset['collapsed'] === 'true';
  }

  /** Folds the output away or shows it again; a folded output says how much it hides. */
  toggleCollapsed(collapsed = !this.collapsed): void {
    this.element.dataset['collapsed'] = String(collapsed);
    this.#collapse.setAttribute('aria-expanded', String(!collapsed));
    this.#collapse.setAttribute('aria-label', collapsed ? 'Expand output' : 'Collapse output');
    this.#collapse.textContent = collapsed ? `… output hidden (${this.output.element.childElementCount} items): show` : '';
    this.output.element.hidden = this.#cell.type !== 'code' || collapsed;
  }

  /** Text cells: leave the editor and show the rendered Markdown. */
  render(): void {
    if (this.#cell.type !== 'markdown') return;
    this.#editing = false;
    if (this.#cell.source.trim() === '') return;
    this.#editor?.destroy();
    this.#editor = null;
    this.refresh();
  }

  /** Text cells: show the editor instead of the rendered text. Code cells: focus the editor. */
  edit(): void {
    this.#editing = true;
    this.refresh();
    this.#editor?.focus();
  }

  focusEditor(): void {
    if (this.#cell.type === 'markdown' && !this.#editing) this.edit();
    else this.#editor?.focus();
  }

  /** Shows the editor with `from`..`to` of the source selected. */
  selectText(from: number, to: number): void {
    this.focusEditor();
    this.#editor?.select(from, to);
  }

  blurEditor(): void {
    if (this.#editor?.hasFocus) this.#editor.view.contentDOM.blur();
  }

  setSelected(selected: boolean): void {
    this.element.classList.toggle('rb-selected', selected);
  }

  showRun(run: CellRun | undefined): void {
    this.#lastRun = run;
    const previous = this.#cell.previous;
    if (!run && previous) this.output.showSaved(previous);
    else this.output.show(run);
    this.element.toggleAttribute('data-previous-run', !run && previous !== undefined);
    this.#count.textContent = run ? `[${run.executionCount}]` : previous?.executionCount != null ? `[${previous.executionCount}]` : '[ ]';
    if (run) {
      run.onChange((change) => {
        if (change.type === 'status') this.setStatus(change.status);
      });
      this.setStatus(run.status);
    } else this.setStatus('idle');
  }

  setStatus(status: CellStatus): void {
    this.element.dataset['status'] = status;
    this.element.setAttribute('aria-busy', String(status === 'running' || status === 'queued'));
    const previous = this.#cell.previous?.executionCount;
    if (status === 'queued' || status === 'running') this.#count.textContent = '[*]';
    else this.#count.textContent = this.#lastRun ? `[${this.#lastRun.executionCount}]` : previous != null ? `[${previous}]` : '[ ]';
  }

  destroy(): void {
    this.#editor?.destroy();
    this.output.destroy();
    this.element.remove();
  }
}
