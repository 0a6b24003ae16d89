import { findMatches, replaceAllIn, type Match } from '../notebook/find.ts';
import type { NotebookDocument } from '../notebook/notebook-document.ts';
import { button, el } from './dom.ts';

/** What the find bar asks of the notebook: to show a match (select its text in its cell). */
export interface FindHost {
  reveal(match: Match): void;
}

/**
 * Find and replace across every cell of the notebook (`F` in command mode): the count of
 * matches, "Find next" (which selects the match in its cell), "Replace" (the selected match) and
 * "Replace all". Literal text; "Match case" off by default.
 */
export class FindReplace {
  readonly element: HTMLElement;
  #document: NotebookDocument;
  #host: FindHost;
  #find = el('input', { type: 'search', 'aria-label': 'Find', placeholder: 'Find', className: 'rb-find-input' });
  #replace = el('input', { type: 'text', 'aria-label': 'Replace with', placeholder: 'Replace with', className: 'rb-find-input' });
  #matchCase = el('input', { type: 'checkbox', 'aria-label': 'Match case' });
  #count = el('span', { className: 'rb-muted', 'data-find-count': '', role: 'status' });
  #current = -1;

  constructor(document: NotebookDocument, host: FindHost) {
    this.#document = document;
    this.#host = host;
    this.element = el(
      'div',
      { className: 'rb-find', role: 'search', 'aria-label': 'Find and replace', hidden: true },
      this.#find,
      this.#replace,
      el('label', { className: 'rb-muted' }, this.#matchCase, ' Match case'),
      button('Find next', () => this.next()),
      button('Replace', () => this.replaceCurrent()),
      button('Replace all', () => this.replaceAll()),
      this.#count,
      button('Close find', () => this.close(), { text: '✕', className: 'rb-tool' }),
    );
    for (const input of [this.#find, this.#matchCase]) input.addEventListener('input', () => ((this.#current = -1), this.#showCount()));
    this.#find.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.next();
      if (event.key === 'Escape') this.close();
    });
    this.#replace.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') this.replaceCurrent();
      if (event.key === 'Escape') this.close();
    });
    document.onChange(() => {
      if (!this.element.hidden) this.#showCount();
    });
  }

  open(): void {
    this.element.hidden = false;
    this.#find.focus();
    this.#find.select();
    this.#showCount();
  }

  close(): void {
    this.element.hidden = true;
  }

  next(): void {
    const matches = this.#matches();
    if (matches.length === 0) return;
    this.#current = (this.#current + 1) % matches.length;
    const match = matches[this.#current];
    if (match) this.#host.reveal(match);
    this.#showCount();
  }

  replaceCurrent(): void {
    const matches = this.#matches();
    const match = matches[this.#current] ?? matches[0];
    if (!match) return;
    const cell = this.#document.cell(match.cellId);
    if (!cell) return;
    this.#document.setSource(cell.id, cell.source.slice(0, match.from) + this.#replace.value + cell.source.slice(match.to));
    this.#current = Math.max(-1, (matches[this.#current] ? this.#current : 0) - 1);
    this.next();
  }

  replaceAll(): number {
    const matches = this.#matches();
    for (const cellId of new Set(matches.map((m) => m.cellId))) {
      const cell = this.#document.cell(cellId);
      if (cell) this.#document.setSource(cellId, replaceAllIn(cell.source, this.#find.value, this.#replace.value, this.#matchCase.checked));
    }
    this.#current = -1;
    this.#showCount(matches.length);
    return matches.length;
  }

  #matches(): Match[] {
    return findMatches(this.#document.cells, this.#find.value, this.#matchCase.checked);
  }

  #showCount(replaced?: number): void {
    const matches = this.#matches();
    const cells = new Set(matches.map((m) => m.cellId)).size;
    const found = this.#find.value === '' ? '' : `${matches.length} match${matches.length === 1 ? '' : 'es'} in ${cells} cell${cells === 1 ? '' : 's'}`;
    const position = this.#current >= 0 && matches.length > 0 ? ` (${this.#current + 1} of ${matches.length})` : '';
    this.#count.textContent = replaced !== undefined ? `Replaced ${replaced}. ${found}` : found + position;
  }
}
