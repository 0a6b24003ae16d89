import { decodeNotebook, NotebookFormatError, type NotebookFile } from './format.ts';

/** An example notebook shipped with the page, in `public/notebooks/<name>.json`. */
export interface ExampleInfo {
  name: string;
  title: string;
}

/** The examples menu, in reading order. Every file in `public/notebooks/` is listed here. */
export const EXAMPLES: readonly ExampleInfo[] = [
  { name: 'learning-ray-ch1', title: 'Learning Ray 1 · An overview of Ray' },
  { name: 'learning-ray-ch2', title: 'Learning Ray 2 · Getting started with Ray Core' },
  { name: 'learning-ray-ch3', title: 'Learning Ray 3 · Your first distributed application' },
  { name: 'learning-ray-ch4', title: 'Learning Ray 4 · Reinforcement learning with the library' },
  { name: 'learning-ray-ch5', title: 'Learning Ray 5 · Hyperparameter optimization with Ray Tune' },
  { name: 'learning-ray-ch6', title: 'Learning Ray 6 · Data processing with Ray Data' },
  { name: 'learning-ray-ch7', title: 'Learning Ray 7 · Distributed training with Ray Train' },
  { name: 'learning-ray-ch8', title: 'Learning Ray 8 · Online inference with Ray Serve' },
];

/** Example names are plain slugs, so a URL parameter can never reach outside `notebooks/`. */
export function isExampleName(name: string): boolean {
  return /^[a-z0-9][a-z0-9-]{0,80}$/.test(name);
}

/** Fetches and validates an example from `baseUrl` (the page's base, e.g. '/'). */
export async function fetchExample(name: string, baseUrl: string, fetcher: typeof fetch = fetch): Promise<NotebookFile> {
  if (!isExampleName(name)) throw new NotebookFormatError(`'${name}' is not an example name: use lowercase letters, digits and dashes.`);
  const response = await fetcher(new URL(`notebooks/${name}.json`, baseUrl));
  if (!response.ok) {
    throw new NotebookFormatError(
      `There is no example notebook named '${name}' (HTTP ${response.status}). Pick one from the Examples menu.`,
    );
  }
  let data: unknown;
  try {
    data = await response.json();
  } catch {
    throw new NotebookFormatError(`The example '${name}' is not valid JSON. Pick another from the Examples menu.`);
  }
  return decodeNotebook(data);
}

/** Where the page was asked to open a notebook from. */
export type NotebookSource =
  | { kind: 'example'; name: string }
  | { kind: 'shared'; hash: string }
  /** The user's own copy of a shared or imported notebook, made on its first edit. */
  | { kind: 'copy'; id: string }
  | { kind: 'scratch' };

/** Copy ids are short slugs, so a URL parameter can only name a key of this page's own store. */
export function isCopyId(id: string): boolean {
  return /^[a-z0-9]{4,32}$/.test(id);
}

/** A fresh copy id (random, so two copies of one link never share a key). */
export function newCopyId(random: () => number = Math.random): string {
  let id = '';
  while (id.length < 10) id += Math.floor(random() * 36).toString(36);
  return id;
}

/**
 * Reads `#nb=…`, `?copy=<id>` and `?notebook=<name>` from a page URL, in that order of
 * precedence: a share link pasted into a tab opens whatever the tab showed before.
 */
export function notebookSourceOf(url: URL): NotebookSource {
  if (new URLSearchParams(url.hash.replace(/^#/, '')).has('nb')) return { kind: 'shared', hash: url.hash };
  const copy = url.searchParams.get('copy');
  if (copy !== null && isCopyId(copy)) return { kind: 'copy', id: copy };
  const name = url.searchParams.get('notebook');
  if (name !== null) return { kind: 'example', name };
  return { kind: 'scratch' };
}

/** The page URL that opens `source` again after a reload (the copy's or example's own address). */
export function urlOf(source: NotebookSource, page: URL): URL {
  const url = new URL(page.pathname, page.origin);
  for (const [key, value] of page.searchParams) if (key !== 'copy' && key !== 'notebook') url.searchParams.set(key, value);
  if (source.kind === 'copy') url.searchParams.set('copy', source.id);
  else if (source.kind === 'example') url.searchParams.set('notebook', source.name);
  else if (source.kind === 'shared') url.hash = source.hash;
  return url;
}

/** The storage key a notebook from `source` autosaves under. */
export function storageKeyOf(source: NotebookSource): string {
  switch (source.kind) {
    case 'example':
      return `example:${source.name}`;
    case 'shared':
      return 'shared';
    case 'copy':
      return `copy:${source.id}`;
    case 'scratch':
      return 'scratch';
  }
}

/** What a fresh page shows: a short tour in two cells. */
export function welcomeNotebook(): NotebookFile {
  return {
    format: 'raybox-notebook',
    version: 1,
    title: 'Scratch',
    cells: [
      {
        type: 'markdown',
        source: [
          '# raybox notebook',
          '',
          "Ray's tasks, objects and actors in this page's Web Workers. Run a cell with **Shift+Enter**;",
          'names declared in one cell are visible in the next. Open a chapter of *Learning Ray* from **Examples**.',
        ].join('\n'),
      },
      {
        type: 'code',
        language: 'typescript',
        source: [
          'const square = raybox.remote((x: number) => x * x);',
          'const refs = [1, 2, 3, 4].map((x) => square.remote(x));',
          'await raybox.get(refs)',
        ].join('\n'),
      },
    ],
  };
}
