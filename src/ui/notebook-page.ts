import { Autosave } from '../notebook/autosave.ts';
import { EXAMPLES, fetchExample, newCopyId, notebookSourceOf, storageKeyOf, urlOf, welcomeNotebook, type NotebookSource } from '../notebook/examples.ts';
import { parseNotebookJson, stringifyNotebook, type NotebookFile } from '../notebook/format.ts';
import { Kernel, type CanvasLike, type KernelRuntime } from '../notebook/kernel.ts';
import { NotebookDocument } from '../notebook/notebook-document.ts';
import { NotebookSession } from '../notebook/notebook-session.ts';
import type { NotebookStore } from '../notebook/notebook-store.ts';
import { decodeShareHash, shareUrl } from '../notebook/share-link.ts';
import { Dashboard, type DashboardSource } from './dashboard/dashboard.ts';
import { button, download, el } from './dom.ts';
import { previewText } from './value-view.ts';
import { NotebookView } from './notebook-view.ts';

/** What the page needs of raybox: the dashboard's feed, and what the kernel needs for "Interrupt". */
export type PageRuntime = DashboardSource & KernelRuntime;

export interface NotebookPageOptions {
  runtime: PageRuntime;
  /** Names every cell sees, e.g. `{ raybox }`. */
  globals: Record<string, unknown>;
  /** Names loaded the first time a cell mentions them, e.g. `{ tf: () => loadTf() }`. */
  onDemand?: Record<string, () => Promise<unknown>>;
  store: NotebookStore;
  /** The page's URL: `?notebook=<name>` opens an example, `#nb=…` a shared notebook. */
  url: URL;
  /** Where `notebooks/<name>.json` are served from. */
  baseUrl: string;
}

export interface NotebookPage {
  readonly document: NotebookDocument;
  readonly session: NotebookSession;
  readonly dashboard: Dashboard;
  /** Shows a message above the notebook ('error' is announced as an alert). */
  showMessage(text: string, kind?: 'info' | 'error'): void;
}

/** The canvas `canvas()` gives a cell: an element of this page. */
export function createCanvas(width: number, height: number): CanvasLike {
  return el('canvas', { width, height, className: 'rb-cell-canvas' });
}

/**
 * The app page: a header (title, Examples, Import, Export, Share, and the room controls' place),
 * the notebook, and the dashboard beside it. Opens the notebook the URL names, restores autosaved
 * edits, and never lets a bad file or link replace what is open or saved.
 */
export async function mountNotebookPage(root: HTMLElement, options: NotebookPageOptions): Promise<NotebookPage> {
  const message = el('div', { className: 'rb-message', 'data-message': '', hidden: true });
  const showMessage = (text: string, kind: 'info' | 'error' = 'info') => {
    message.hidden = false;
    message.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    message.dataset['kind'] = kind;
    message.replaceChildren(el('span', {}, text), button('Dismiss', () => (message.hidden = true), { text: '✕', className: 'rb-tool' }));
  };

  // 1. Which notebook, and where its edits are kept.
  let source = notebookSourceOf(options.url);
  const opened = await openNotebook(source, options);
  source = opened.source;
  const document = new NotebookDocument(opened.file);
  const key = storageKeyOf(source);
  let edited = opened.restored;
  const autosave = new Autosave(document, options.store, key, {
    onError: () => showMessage('Autosave failed: this browser did not let the page store the notebook. Export it to keep it.', 'error'),
    // Running an example or a shared notebook is not editing it: its outputs are saved once it is edited.
    ignore: (change) => change.type === 'outputs' && !edited && (source.kind === 'example' || source.kind === 'shared'),
  });
  const origin = el('span', { className: 'rb-origin', 'data-origin': '' });
  const showOrigin = () => {
    origin.textContent = originText(source, edited);
    origin.dataset['origin'] = source.kind;
    setWindowTitle();
  };
  /**
   * A shared link (or an imported file) is not the user's until edited; the first edit makes it
   * the user's own copy: saved under a key of its own, named "Copy of …", with an address that
   * opens it again after a reload. The link's notebook itself is never written.
   */
  const makeCopy = () => {
    source = { kind: 'copy', id: newCopyId() };
    if (!document.title.startsWith('Copy of ')) document.title = `Copy of ${document.title}`;
    globalThis.history.replaceState(null, '', urlOf(source, new URL(globalThis.location.href)));
    void autosave.moveTo(storageKeyOf(source));
  };
  document.onChange((change) => {
    if (change.type === 'replace' || change.type === 'outputs') return;
    if (!edited) {
      edited = true;
      if (source.kind === 'shared') makeCopy();
      showOrigin();
    }
  });

  // 2. The kernel and the views.
  const kernel = new Kernel({
    runtime: options.runtime,
    globals: options.globals,
    ...(options.onDemand ? { onDemand: options.onDemand } : {}),
    createCanvas,
  });
  const session = new NotebookSession(document, kernel, { preview: (value) => previewText(value) });
  const notebookView = new NotebookView(session);
  const dashboard = new Dashboard(options.runtime);

  // 3. The header.
  const title = el('input', { className: 'rb-title', 'aria-label': 'Notebook title', value: document.title, spellcheck: 'false' });
  const fitTitle = () => (title.style.width = `${Math.max(16, title.value.length + 2)}ch`);
  title.addEventListener('input', () => {
    document.title = title.value;
    fitTitle();
  });
  fitTitle();
  function setWindowTitle() {
    globalThis.document.title = `${document.title}${source.kind === 'example' && edited ? ' (your copy)' : ''} · raybox`;
  }
  document.onChange((change) => {
    if (change.type === 'title' || change.type === 'replace') {
      if (title.value !== document.title) title.value = document.title;
      fitTitle();
      setWindowTitle();
    }
  });
  setWindowTitle();

  const fileInput = el('input', { type: 'file', accept: '.json,application/json', hidden: true, 'data-import': '', 'aria-label': 'Notebook file to import' });
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files?.[0];
    fileInput.value = '';
    if (!file) return;
    try {
      const notebook = parseNotebookJson(await file.text());
      // An import opens as a copy of its own: it never overwrites the scratch notebook or an example's edits.
      document.replace(notebook);
      makeCopy();
      document.title = notebook.title;
      edited = true;
      showOrigin();
      showMessage(`Imported “${notebook.title}” (${notebook.cells.length} cells) as a notebook of its own; its address opens it again.`);
    } catch (error) {
      showMessage(`${error instanceof Error ? error.message : String(error)} Nothing was replaced.`, 'error');
    }
  });

  const shareBox = el('div', { className: 'rb-share', hidden: true });
  const share = async () => {
    const link = await shareUrl(new URL(options.url.pathname, options.url.origin).toString(), document.toFile());
    const field = el('input', { readonly: true, value: link, 'aria-label': 'Share link', className: 'rb-share-link' });
    shareBox.hidden = false;
    shareBox.replaceChildren(el('span', {}, 'This link carries the whole notebook:'), field, button('Close', () => (shareBox.hidden = true), { text: '✕', className: 'rb-tool' }));
    field.select();
    try {
      await navigator.clipboard.writeText(link);
      shareBox.prepend(el('strong', {}, 'Copied. '));
    } catch {
      // No clipboard permission: the selected field is there to copy from.
    }
  };

  const examples = el(
    'details',
    { className: 'rb-menu', 'data-examples': '' },
    el('summary', {}, 'Examples'),
    el(
      'ul',
      { role: 'menu' },
      ...EXAMPLES.map((example) => el('li', { role: 'none' }, el('a', { role: 'menuitem', href: `?notebook=${example.name}` }, example.title))),
      el('li', { role: 'none' }, el('a', { role: 'menuitem', href: './' }, 'Scratch notebook')),
    ),
  );
  const revert =
    source.kind === 'example' && opened.restored
      ? button('Revert example', async () => {
          const original = await fetchExample((source as { name: string }).name, options.baseUrl).catch(() => null);
          if (!original) return;
          document.replace(original);
          edited = false;
          showOrigin();
        }, { title: 'Discard your edits and reload the example' })
      : null;

  const header = el(
    'header',
    { className: 'rb-header' },
    el('div', { className: 'rb-brand' }, el('strong', {}, 'raybox'), title, origin),
    el(
      'nav',
      { className: 'rb-file', 'aria-label': 'Notebook file' },
      examples,
      button('Import', () => fileInput.click(), { title: 'Import a notebook (.json)' }),
      fileInput,
      button('Export', () => download(`${slug(document.title)}.json`, stringifyNotebook(document.toFile())), { title: 'Export this notebook as JSON' }),
      button('Share notebook', () => void share(), { title: 'A link that carries this notebook' }),
      revert,
    ),
    // Rooms ("Open room", "Copy link", QR code, "Join as worker", "Leave room") mount here.
    el('div', { className: 'rb-room', 'data-room-area': '', 'aria-label': 'Room' }),
  );

  root.replaceChildren(
    el(
      'div',
      { className: 'rb-page' },
      header,
      message,
      shareBox,
      el(
        'div',
        { className: 'rb-body' },
        el('main', { className: 'rb-notebook', 'data-notebook': '' }, notebookView.element),
        el('aside', { className: 'rb-dashboard', 'data-dashboard': '', 'aria-label': 'Dashboard' }, dashboard.element),
      ),
    ),
  );
  if (opened.notice) showMessage(opened.notice.text, opened.notice.kind);
  showOrigin();

  // 4. Keep edits when the page goes away; a share link pasted into this tab opens.
  globalThis.addEventListener('visibilitychange', () => {
    if (globalThis.document.visibilityState === 'hidden') void autosave.flush();
  });
  globalThis.addEventListener('pagehide', () => void autosave.flush());
  globalThis.addEventListener('hashchange', () => {
    if (notebookSourceOf(new URL(globalThis.location.href)).kind === 'shared') globalThis.location.reload();
  });

  return { document, session, dashboard, showMessage };
}

interface Opened {
  file: NotebookFile;
  source: NotebookSource;
  /** Autosaved edits were restored instead of the original. */
  restored: boolean;
  notice?: { text: string; kind: 'info' | 'error' };
}

/** The notebook to show for `source`: its autosaved edits, else the original; on failure, the scratch notebook. */
async function openNotebook(source: NotebookSource, options: NotebookPageOptions): Promise<Opened> {
  const saved = await options.store.load(storageKeyOf(source)).catch(() => undefined);
  switch (source.kind) {
    case 'scratch':
      return { file: saved ?? welcomeNotebook(), source, restored: saved !== undefined };
    case 'example': {
      if (saved) return { file: saved, source, restored: true, notice: { text: 'Your edits of this example were restored. "Revert example" brings back the original.', kind: 'info' } };
      try {
        return { file: await fetchExample(source.name, options.baseUrl), source, restored: false };
      } catch (error) {
        return { ...(await openNotebook({ kind: 'scratch' }, options)), notice: { text: messageOf(error), kind: 'error' } };
      }
    }
    case 'copy':
      if (saved) return { file: saved, source, restored: true };
      return {
        ...(await openNotebook({ kind: 'scratch' }, options)),
        notice: { text: 'That copy is not saved in this browser (copies live where they were made). The scratch notebook is open instead.', kind: 'error' },
      };
    case 'shared':
      try {
        return { file: await decodeShareHash(source.hash), source, restored: false };
      } catch (error) {
        // A damaged link replaces nothing: the scratch notebook opens as it was saved.
        return { ...(await openNotebook({ kind: 'scratch' }, options)), notice: { text: messageOf(error), kind: 'error' } };
      }
  }
}

/** What the header says of the open notebook: whose it is and where its edits go. */
function originText(source: NotebookSource, edited: boolean): string {
  switch (source.kind) {
    case 'scratch':
      return 'Scratch notebook · saved in this browser';
    case 'example':
      return edited ? 'Your copy of this example · saved in this browser' : 'Example · your edits are saved as your copy';
    case 'shared':
      return 'Shared notebook · your edits are saved as your copy';
    case 'copy':
      return 'Your copy · saved in this browser';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'notebook';
}
