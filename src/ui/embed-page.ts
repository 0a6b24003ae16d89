import { fetchExample, isExampleName } from '../notebook/examples.ts';
import { Kernel, type KernelRuntime } from '../notebook/kernel.ts';
import { NotebookDocument } from '../notebook/notebook-document.ts';
import { NotebookSession } from '../notebook/notebook-session.ts';
import { el } from './dom.ts';
import { createCanvas } from './notebook-page.ts';
import { previewText } from './value-view.ts';
import { NotebookView } from './notebook-view.ts';

export interface EmbedPageOptions {
  runtime: KernelRuntime;
  globals: Record<string, unknown>;
  /** Names loaded the first time a cell mentions them, e.g. `{ tf: () => loadTf() }`. */
  onDemand?: Record<string, () => Promise<unknown>>;
  /** `?notebook=<name>` names the example to show. */
  url: URL;
  baseUrl: string;
  /** Tells the embedding page how tall this one is (by default, postMessage to the parent). */
  reportHeight?: (height: number) => void;
}

/** The message the embed posts to its parent whenever its height changes. */
export interface EmbedHeightMessage {
  type: 'raybox-embed:height';
  notebook: string;
  height: number;
}

/**
 * A notebook without the app's chrome, for an iframe in a tutorial: the cells, "Run all" and
 * "Interrupt", and a link to open it in full. Nothing runs, and no worker starts, until the
 * reader runs a cell. The page reports its height to the parent so the iframe can fit it.
 */
export async function mountEmbedPage(root: HTMLElement, options: EmbedPageOptions): Promise<NotebookSession | null> {
  const name = options.url.searchParams.get('notebook') ?? '';
  const report =
    options.reportHeight ??
    ((height: number) => {
      const message: EmbedHeightMessage = { type: 'raybox-embed:height', notebook: name, height };
      if (globalThis.parent !== globalThis.window) globalThis.parent.postMessage(message, '*');
    });
  let lastHeight = -1;
  const measure = () => {
    const height = Math.ceil(globalThis.document.documentElement.getBoundingClientRect().height);
    if (height !== lastHeight) {
      lastHeight = height;
      globalThis.document.documentElement.dataset['height'] = String(height);
      report(height);
    }
  };
  new ResizeObserver(measure).observe(root);

  if (!isExampleName(name)) {
    root.replaceChildren(el('p', { className: 'rb-message', role: 'alert' }, 'This embed needs ?notebook=<name> naming an example notebook.'));
    measure();
    return null;
  }
  let file;
  try {
    file = await fetchExample(name, options.baseUrl);
  } catch (error) {
    root.replaceChildren(el('p', { className: 'rb-message', role: 'alert' }, error instanceof Error ? error.message : String(error)));
    measure();
    return null;
  }
  const document = new NotebookDocument(file);
  const kernel = new Kernel({ runtime: options.runtime, globals: options.globals, ...(options.onDemand ? { onDemand: options.onDemand } : {}), createCanvas });
  const session = new NotebookSession(document, kernel, { preview: (value) => previewText(value) });
  const view = new NotebookView(session, { fullToolbar: false });
  const open = new URL(`./?notebook=${name}`, options.baseUrl);
  root.replaceChildren(
    el(
      'div',
      { className: 'rb-embed' },
      view.element,
      el('footer', { className: 'rb-embed-footer' }, el('a', { href: open.toString(), target: '_blank', rel: 'noopener' }, 'Open in raybox ↗'), el('span', { className: 'rb-muted' }, ` · ${file.title}`)),
    ),
  );
  measure();
  return session;
}
