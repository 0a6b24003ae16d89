import { parseNotebookJson } from '../notebook/format.ts';
import { el } from '../ui/dom.ts';
import { renderMarkdown } from '../ui/markdown.ts';
import type { CodeBlocks } from './code-blocks.ts';

/**
 * Web components for pages built with frameworks that prefer elements to marked blocks:
 * `<raybox-cell>` (its text is the code; `scope`, `depends`, `language`, `name` as on a block)
 * and `<raybox-notebook src="notebook.json">` (a saved raybox notebook, its code cells sharing one
 * scope). Both take `theme="light|dark"` and `autorun` (run on load, in order); without `autorun`
 * nothing runs until the reader presses Run.
 */
export function defineElements(blocks: CodeBlocks): void {
  let notebooks = 0;

  class RayboxCell extends HTMLElement {
    connectedCallback(): void {
      if (this.querySelector('[data-raybox-block]')) return;
      const pre = el('pre', { 'data-raybox': '' }, (this.textContent ?? '').replace(/^\n/, ''));
      const name = this.getAttribute('name');
      if (name) pre.id = name;
      for (const key of ['scope', 'depends', 'language'] as const) {
        const value = this.getAttribute(key);
        if (value !== null) pre.dataset[key] = value;
      }
      applyTheme(this);
      this.replaceChildren(pre);
      const ids = blocks.mount(this);
      if (this.hasAttribute('autorun')) void runInOrder(blocks, ids);
    }
  }

  class RayboxNotebook extends HTMLElement {
    connectedCallback(): void {
      if (this.dataset['loaded'] !== undefined) return;
      this.dataset['loaded'] = '';
      applyTheme(this);
      void this.#load();
    }

    async #load(): Promise<void> {
      const src = this.getAttribute('src');
      try {
        if (!src) throw new Error('<raybox-notebook> needs src="notebook.json".');
        const response = await fetch(new URL(src, document.baseURI));
        if (!response.ok) throw new Error(`${src}: HTTP ${response.status}`);
        const file = parseNotebookJson(await response.text());
        const scope = `notebook-${++notebooks}`;
        this.replaceChildren(
          ...file.cells.map((cell) =>
            cell.type === 'markdown'
              ? renderMarkdown(cell.source)
              : el('pre', { 'data-raybox': '', 'data-scope': scope, 'data-language': cell.language ?? 'javascript' }, cell.source),
          ),
        );
        const ids = blocks.mount(this);
        if (this.hasAttribute('autorun')) await runInOrder(blocks, ids);
      } catch (error) {
        this.replaceChildren(el('div', { className: 'raybox-block', 'data-raybox-error': '' }, `raybox could not open this notebook: ${error instanceof Error ? error.message : String(error)}`));
      }
    }
  }

  if (!customElements.get('raybox-cell')) customElements.define('raybox-cell', RayboxCell);
  if (!customElements.get('raybox-notebook')) customElements.define('raybox-notebook', RayboxNotebook);
}

function applyTheme(element: HTMLElement): void {
  const theme = element.getAttribute('theme');
  if (theme === 'light' || theme === 'dark') element.dataset['theme'] = theme;
}

async function runInOrder(blocks: CodeBlocks, ids: string[]): Promise<void> {
  for (const id of ids) await blocks.run(id);
}
