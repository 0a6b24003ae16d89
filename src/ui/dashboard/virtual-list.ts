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
  /** Scroll position and height as last seen, so that a redraw reads no layout (which would force one). */
  #scrollTop = 0;
  #viewHeight: number;
  #scrollPending = false;

  constructor(options: VirtualListOptions) {
    this.#options = options;
    this.#spacer = el('div', { className: 'rb-vlist-spacer' });
    this.element = el('div', { className: `rb-vlist ${options.className ?? ''}`, role: 'list', 'aria-label': options.label, tabindex: 0 }, this.#spacer);
    // The layout that makes it virtual is set here, not left to a stylesheet.
    Object.assign(this.element.style, { height: `${options.height ?? 180}px`, overflowY: 'auto', position: 'relative' });
    this.#spacer.style.position = 'relative';
    this.#viewHeight = options.height ?? 180;
    this.element.addEventListener('scroll', () => {
      this.#scrollTop = this.element.scrollTop;
      this.#follow = this.#atBottom();
      this.refresh();
    });
    if (typeof ResizeObserver !== 'undefined') {
      new ResizeObserver((entries) => {
        const height = entries[0]?.contentRect.height ?? 0;
        if (height > 0 && height !== this.#viewHeight) {
          this.#viewHeight = height;
          this.refresh();
        }
      }).observe(this.element);
    }
  }

  get count(): number {
    return this.#count;
  }

  /** Rows built right now: the cost of the list does not grow with its items. */
  get renderedRows(): number {
    return this.#pool.filter((row) => !row.hidden).length;
  }

  setCount(count: number): void {
    const changed = count !== this.#count;
    this.#count = count;
    if (changed) this.#spacer.style.height = `${count * this.#options.rowHeight}px`;
    if (this.#follow) {
      // Following: the last rows, worked out here rather than read back from the layout.
      const scrollTop = Math.max(0, count * this.#options.rowHeight - this.#viewHeight);
      const moved = scrollTop !== this.#scrollTop;
      this.#scrollTop = scrollTop;
      this.refresh();
      if (moved) this.#scrollAfterDraw();
    } else this.refresh();
  }

  /**
   * Writing scrollTop makes the browser lay the page out there and then. Done at the end of the
   * current task (after the rest of the redraw's writes), the page is laid out once per redraw,
   * not once here and again for the writes that follow.
   */
  #scrollAfterDraw(): void {
    if (this.#scrollPending) return;
    this.#scrollPending = true;
    queueMicrotask(() => {
      this.#scrollPending = false;
      if (this.#follow) this.element.scrollTop = this.#scrollTop;
    });
  }

  refresh(): void {
    const { rowHeight } = this.#options;
    const height = Math.min(this.#viewHeight, 4000);
    const first = Math.max(0, Math.floor(this.#scrollTop / rowHeight) - 4);
    const last = Math.min(this.#count, Math.ceil((this.#scrollTop + height) / rowHeight) + 4);
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
