import type { Cell } from './cell.ts';

/** One occurrence of the searched text: in which cell, and where in its source. */
export interface Match {
  cellId: string;
  from: number;
  to: number;
}

/** Every occurrence of `query` (literal text, not a pattern) in the cells, in notebook order. */
export function findMatches(cells: readonly Cell[], query: string, matchCase: boolean): Match[] {
  if (query === '') return [];
  const needle = matchCase ? query : query.toLowerCase();
  const matches: Match[] = [];
  for (const cell of cells) {
    const haystack = matchCase ? cell.source : cell.source.toLowerCase();
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) {
      matches.push({ cellId: cell.id, from: at, to: at + needle.length });
    }
  }
  return matches;
}

/** `source` with every occurrence of `query` replaced (the replacement taken literally, `$` included). */
export function replaceAllIn(source: string, query: string, replacement: string, matchCase: boolean): string {
  if (query === '') return source;
  const flags = matchCase ? 'g' : 'gi';
  return source.replace(new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags), () => replacement);
}
