import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The code block that follows `<!-- snippet: NAME -->` in README.md, verbatim: the tests run the
 * README's copy-paste snippets themselves, so the README cannot drift from what works.
 */
export function readmeSnippet(name: string): string {
  const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
  const marker = `<!-- snippet: ${name} -->`;
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no ${marker}`);
  const match = /```[a-z]*\n([\s\S]*?)```/.exec(readme.slice(at + marker.length));
  if (!match?.[1]) throw new Error(`README.md has no code block after ${marker}`);
  return match[1];
}
