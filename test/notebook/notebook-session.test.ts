import { describe, expect, it } from 'vitest';
import type { RayboxEvent } from '../../src/core/events.ts';
import { Autosave } from '../../src/notebook/autosave.ts';
import { Kernel } from '../../src/notebook/kernel.ts';
import { NotebookDocument } from '../../src/notebook/notebook-document.ts';
import { NotebookSession } from '../../src/notebook/notebook-session.ts';
import { MemoryNotebookStore } from '../../src/notebook/notebook-store.ts';

const runtime = {
  onEventBatch: (_: (events: readonly RayboxEvent[]) => void) => () => {},
  setSubmissionContext: () => {},
  cancelContext: () => [],
  contextOf: () => undefined,
};

function sessionOf(cells: [type: 'code' | 'markdown', source: string][]): NotebookSession {
  const document = new NotebookDocument({ format: 'raybox-notebook', version: 1, title: 't', cells: cells.map(([type, source]) => ({ type, source })) });
  return new NotebookSession(document, new Kernel({ runtime }));
}

describe('NotebookSession', () => {
  it('runAll runs the code cells in order with growing execution counts', async () => {
    const session = sessionOf([['markdown', '# x'], ['code', 'const a = 2'], ['code', 'a * 21']]);
    expect(await session.runAll()).toBe('done');
    const [, first, second] = session.document.cells;
    expect(session.latestRun(first!.id)?.executionCount).toBe(1);
    expect(session.latestRun(second!.id)?.outputs).toEqual([{ type: 'result', value: 42 }]);
    expect(session.latestRun(second!.id)?.executionCount).toBe(2);
  });

  it('runAll stops at the first cell that fails and skips the rest', async () => {
    const session = sessionOf([['code', 'throw new Error("no")'], ['code', '1']]);
    expect(await session.runAll()).toBe('failed');
    expect(session.latestRun(session.document.cells[1]!.id)).toBeUndefined();
    expect(session.busy).toBe(false);
  });

  it('interrupt stops the running cell and empties the queue', async () => {
    const session = sessionOf([['code', 'await new Promise(() => {})'], ['code', '1']]);
    const all = session.runAll();
    await new Promise((resolve) => setTimeout(resolve, 5));
    session.interrupt();
    expect(await all).toBe('interrupted');
    expect(session.latestRun(session.document.cells[0]!.id)?.status).toBe('interrupted');
    expect(session.latestRun(session.document.cells[1]!.id)).toBeUndefined();
  });

  it('restart forgets the scope and the outputs', async () => {
    const session = sessionOf([['code', 'const kept = 1'], ['code', 'typeof kept']]);
    await session.runAll();
    session.restart();
    expect(session.latestRun(session.document.cells[0]!.id)).toBeUndefined();
    await session.run(session.document.cells[1]!.id);
    expect(session.latestRun(session.document.cells[1]!.id)?.outputs).toEqual([{ type: 'result', value: 'undefined' }]);
  });
});

describe('NotebookDocument', () => {
  it('adds, moves, converts and removes cells, and reports each change', () => {
    const document = new NotebookDocument();
    const changes: string[] = [];
    document.onChange((change) => changes.push(change.type));
    const a = document.insert('code', { source: 'a' });
    const b = document.insert('markdown', { source: 'b', index: 0 });
    document.move(b.id, 1);
    document.convert(a.id, 'markdown');
    document.setSource(b.id, 'bb');
    document.remove(a.id);
    expect(document.cells.map((cell) => [cell.type, cell.source])).toEqual([['markdown', 'bb']]);
    expect(changes).toEqual(['insert', 'insert', 'move', 'convert', 'source', 'remove']);
    expect(document.toFile().cells).toEqual([{ type: 'markdown', source: 'bb' }]);
  });
});

describe('Autosave', () => {
  it('saves a burst of edits once, under its key', async () => {
    const store = new MemoryNotebookStore();
    const document = new NotebookDocument();
    const autosave = new Autosave(document, store, 'scratch', { delayMs: 5 });
    document.insert('code', { source: '1' });
    document.insert('code', { source: '2' });
    expect(await store.load('scratch')).toBeUndefined();
    await autosave.flush();
    expect((await store.load('scratch'))?.cells.map((cell) => cell.source)).toEqual(['1', '2']);
    await autosave.stop();
  });
});
