import type { SavedRun } from './saved-output.ts';

/** What a cell holds: prose or code. */
export type CellType = 'code' | 'markdown';

/** The languages of code cells. TypeScript loses its types before it runs; nothing is type-checked. */
export type CodeLanguage = 'javascript' | 'typescript';

export const CODE_LANGUAGES: readonly CodeLanguage[] = ['javascript', 'typescript'];

/**
 * The language of every new code cell, however it is added (toolbar, A/B, Shift+Enter on the last
 * cell). TypeScript, because it also accepts plain JavaScript, so pasted typed code never fails.
 */
export const DEFAULT_LANGUAGE: CodeLanguage = 'typescript';

/** One cell of an open notebook. `id` is stable while the notebook is open and never saved. */
export interface Cell {
  readonly id: string;
  type: CellType;
  /** For code cells; markdown cells keep it so converting back restores it. */
  language: CodeLanguage;
  source: string;
  /** Outputs of a run before this page was opened (from the file), until the cell runs or is cleared. */
  previous?: SavedRun;
}
