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
  { name: 'learning-ray-ch6', title: 'Learning Ray 6 · Data processing with Ray Data' },
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
  | { kind: 'scratch' };

/** Reads `?notebook=<name>` and `#nb=…` from a page URL; a share link wins over an example. */
export function notebookSourceOf(url: URL): NotebookSource {
  if (new URLSearchParams(url.hash.replace(/^#/, '')).has('nb')) return { kind: 'shared', hash: url.hash };
  const name = url.searchParams.get('notebook');
  if (name !== null) return { kind: 'example', name };
  return { kind: 'scratch' };
}

/** The storage key a notebook from `source` autosaves under. */
export function storageKeyOf(source: NotebookSource): string {
  switch (source.kind) {
    case 'example':
      return `example:${source.name}`;
    case 'shared':
      return 'shared';
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
