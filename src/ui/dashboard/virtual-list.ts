import { el } from '../dom.ts';

export interface VirtualListOptions {
  /** Height of every row, in CSS pixels. */
  rowHeight: number;
  /** Fills `row` (a reused element) with item `index`. */
  renderRow(index: number, row: HTMLElement): void;
  /** Height of the scrolling area, in CSS pixels. @default 180 */
  height?: number;
  className?: string;
  label: string;
}

/**
 * A scrolling list that builds only the rows in view (plus a few), so it stays fast with hundreds
 * of thousands of items. While scrolled to the bottom it follows new items, as a log does.
 */
export class VirtualList {
  readonly element: HTMLElement;
  #spacer: HTMLElement;
  #options: VirtualListOptions;
  #count = 0;
  #pool: HTMLElement[] = [];
  #follow = true;

  constructor(options: VirtualListOptions) {
    this.#options = options;
    this.#spacer = el('div', { className: 'rb-vlist-spacer' });
    this.element = el('div', { className: `rb-vlist ${options.className ?? ''}`, role: 'list', 'aria-label': options.label, tabindex: 0 }, this.#spacer);
    // The layout that makes it virtual is set here, not left to a stylesheet.
    Object.assign(this.element.style, { height: `${options.height ?? 180}px`, overflowY: 'auto', position: 'relative' });
    this.#spacer.style.position = 'relative';
    this.element.addEventListener('scroll', () => {
      this.#follow = this.#atBottom();
      this.refresh();
    });
  }

  get count(): number {
    return this.#count;
  }

  /** Rows built right now: the cost of the list does not grow with its items. */
  get renderedRows(): number {
    return this.#pool.filter((row) => !row.hidden).length;
  }

  setCount(count: number): void {
    this.#count = count;
    this.#spacer.style.height = `${count * this.#options.rowHeight}px`;
    // Following: past the end is clamped to the end, without reading the layout back.
    if (this.#follow) this.element.scrollTop = count * this.#options.rowHeight;
    this.refresh();
  }

  refresh(): void {
    const { rowHeight } = this.#options;
    const height = Math.min(this.element.clientHeight || 0, 4000) || (this.#options.height ?? 180);
    const first = Math.max(0, Math.floor(this.element.scrollTop / rowHeight) - 4);
    const last = Math.min(this.#count, Math.ceil((this.element.scrollTop + height) / rowHeight) + 4);
    const needed = Math.max(0, last - first);
    while (this.#pool.length < needed) {
      const row = el('div', { className: 'rb-vlist-row', role: 'listitem' });
      Object.assign(row.style, { height: `${rowHeight}px`, position: 'absolute', left: '0', right: '0', top: '0' });
      this.#pool.push(row);
      this.#spacer.append(row);
    }
    this.#pool.forEach((row, i) => {
      const index = first + i;
      if (i >= needed) {
        row.hidden = true;
        return;
      }
      row.hidden = false;
      row.style.transform = `translateY(${index * rowHeight}px)`;
      row.dataset['index'] = String(index);
      this.#options.renderRow(index, row);
    });
  }

  #atBottom(): boolean {
    return this.element.scrollTop + this.element.clientHeight >= this.element.scrollHeight - this.#options.rowHeight;
  }
}
