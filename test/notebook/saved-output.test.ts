import { describe, expect, it } from 'vitest';
import { CellRun } from '../../src/notebook/cell-run.ts';
import { findMatches, replaceAllIn } from '../../src/notebook/find.ts';
import { decodeNotebook, NotebookFormatError } from '../../src/notebook/format.ts';
import { NotebookDocument } from '../../src/notebook/notebook-document.ts';
import { saveRun } from '../../src/notebook/saved-output.ts';

describe('saved outputs', () => {
  it('saves a run as text and reads it back from the file as the previous run', () => {
    const run = new CellRun('c', 7);
    run.append({ type: 'log', level: 'warn', args: ['careful', { a: 1 }] });
    run.append({ type: 'result', value: 42 });
    run.append({ type: 'error', error: new RangeError('too big'), line: 3 });
    const saved = saveRun(run, (value) => JSON.stringify(value));
    expect(saved).toEqual({
      executionCount: 7,
      outputs: [
        { kind: 'log', level: 'warn', text: 'careful {"a":1}' },
        { kind: 'result', text: '42' },
        { kind: 'error', text: 'RangeError: too big (line 3)' },
      ],
    });
    const file = decodeNotebook({ format: 'raybox-notebook', version: 1, title: 't', cells: [{ type: 'code', source: 'x', ...saved }] });
    const document = new NotebookDocument(file);
    expect(document.cells[0]?.previous).toEqual(saved);
    expect(document.toFile().cells[0]).toEqual({ type: 'code', language: 'javascript', source: 'x', ...saved });
  });

  it('refuses damaged outputs and says where', () => {
    const cell = { type: 'code', source: 'x', outputs: [{ kind: 'hologram', text: '' }] };
    expect(() => decodeNotebook({ format: 'raybox-notebook', version: 1, title: 't', cells: [cell] })).toThrow(NotebookFormatError);
    expect(() => decodeNotebook({ format: 'raybox-notebook', version: 1, title: 't', cells: [cell] })).toThrow(/cell 1.*hologram/);
  });
});

describe('find and replace', () => {
  const cells = [
    { id: 'a', type: 'code' as const, language: 'typescript' as const, source: 'Speed = speed + 1' },
    { id: 'b', type: 'markdown' as const, language: 'typescript' as const, source: 'no match' },
  ];

  it('finds literal text in notebook order, with or without case', () => {
    expect(findMatches(cells, 'speed', false)).toEqual([
      { cellId: 'a', from: 0, to: 5 },
      { cellId: 'a', from: 8, to: 13 },
    ]);
    expect(findMatches(cells, 'speed', true)).toEqual([{ cellId: 'a', from: 8, to: 13 }]);
    expect(findMatches(cells, '', false)).toEqual([]);
  });

  it('replaces every occurrence, taking pattern characters and $ literally', () => {
    expect(replaceAllIn('a.b a.b', 'a.b', '$&x', true)).toBe('$&x $&x');
    expect(replaceAllIn('Speed speed', 'speed', 'v', false)).toBe('v v');
  });
});
