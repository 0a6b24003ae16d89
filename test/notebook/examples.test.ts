import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCell } from '../../src/notebook/compile.ts';
import { EXAMPLES, isExampleName, notebookSourceOf, storageKeyOf } from '../../src/notebook/examples.ts';
import { decodeNotebook } from '../../src/notebook/format.ts';
import { HELPER_NAMES } from '../../src/notebook/kernel.ts';

const dir = join(import.meta.dirname, '../../public/notebooks');
const files = readdirSync(dir).filter((file) => file.endsWith('.json'));

describe('example notebooks', () => {
  it('are all in the examples menu, and the menu lists only files that exist', () => {
    expect(EXAMPLES.map((example) => `${example.name}.json`).sort()).toEqual(files.sort());
  });

  for (const file of files) {
    it(`${file} is a valid notebook whose code cells all compile`, () => {
      const notebook = decodeNotebook(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      expect(notebook.title).toBe(EXAMPLES.find((example) => `${example.name}.json` === file)?.title);
      for (const cell of notebook.cells.filter((c) => c.type === 'code')) {
        const result = compileCell(cell.source, cell.language ?? 'javascript', [...HELPER_NAMES, 'raybox']);
        expect(result, cell.source).toMatchObject({ ok: true });
      }
    });
  }
});

describe('notebookSourceOf', () => {
  it('reads ?notebook= and #nb= from the page URL, a share link first', () => {
    expect(notebookSourceOf(new URL('http://h/?notebook=learning-ray-ch2'))).toEqual({ kind: 'example', name: 'learning-ray-ch2' });
    expect(notebookSourceOf(new URL('http://h/?notebook=x#nb=abc'))).toEqual({ kind: 'shared', hash: '#nb=abc' });
    expect(notebookSourceOf(new URL('http://h/'))).toEqual({ kind: 'scratch' });
    expect(storageKeyOf({ kind: 'example', name: 'a' })).toBe('example:a');
  });

  it('accepts only plain example names', () => {
    expect(isExampleName('learning-ray-ch1')).toBe(true);
    expect(isExampleName('../secret')).toBe(false);
    expect(isExampleName('a/b')).toBe(false);
  });
});
