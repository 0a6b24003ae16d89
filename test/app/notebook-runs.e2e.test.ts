/**
 * What a cell may do without breaking the page: return a tensor from a task and use `tf` itself,
 * paste typed code into a cell made by Shift+Enter, loop forever, and ask for more workers. And
 * the page's own node stays alive on the dashboard. Real dev server, Chromium, workers and tfjs.
 */
import { describe, expect, it } from 'vitest';
import { useNotebookPages } from './notebook-driver.ts';

const open = useNotebookPages();

describe('cells on a fresh page', () => {
  it('get() of a tensor finishes, tf works in cells, a typed cell made by Shift+Enter runs, the own node stays alive', { timeout: 180_000 }, async () => {
    const notebook = await open('/');
    const { page } = notebook;

    // 1. A task returns a tensor to a page that never loaded TensorFlow.js: the page loads it.
    const tensorCell = await notebook.addCodeCell('const t = await raybox.get(raybox.remote(() => tf.ones([2, 2])).remote());\n[t.shape, Array.from(t.dataSync())]');
    expect(await notebook.run(tensorCell, 120_000)).toBe('done');
    expect(await notebook.output(tensorCell).locator('[data-kind="result"]').textContent()).toContain('1, 1, 1, 1');
    await expect.poll(() => notebook.taskCount('FINISHED')).toBe(1);
    await expect.poll(() => notebook.taskCount('RUNNING')).toBe(0);
    // `tf` is a name of the cells too, loaded on first use.
    const tfCell = await notebook.addCodeCell('tf.add(t, tf.scalar(1)).arraySync()');
    expect(await notebook.run(tfCell, 60_000)).toBe('done');
    expect(await notebook.output(tfCell).locator('[data-kind="result"]').textContent()).toMatch(/2.*2.*2.*2/s);

    // 5. Shift+Enter on the last cell makes a new cell: TypeScript, like every other way of adding one.
    await tfCell.locator('.cm-content').click();
    await page.keyboard.press('Shift+Enter');
    const made = page.locator('[data-cell].rb-selected');
    await expect.poll(() => made.getAttribute('data-cell')).not.toBe(await tfCell.getAttribute('data-cell'));
    expect(await made.locator('select[aria-label="Language"]').inputValue()).toBe('typescript');
    await page.keyboard.insertText('const typed: number = 41;\ntyped + 1');
    await page.keyboard.press('Control+Enter');
    expect(await notebook.settled(made)).toBe('done');
    expect(await notebook.output(made).textContent()).toBe('42');
    // The other ways: "+ Code", and B in command mode.
    await notebook.button('Add code cell').click();
    expect(await page.locator('[data-cell].rb-selected select[aria-label="Language"]').inputValue()).toBe('typescript');
    await page.keyboard.press('Escape');
    await page.keyboard.press('b');
    expect(await page.locator('[data-cell].rb-selected select[aria-label="Language"]').inputValue()).toBe('typescript');

    // 4. The page's node, once its backend is known (an 'updated' event), is alive, not struck through.
    const ownNode = page.locator('tr[data-node]').first();
    await expect.poll(() => ownNode.locator('td').nth(4).textContent(), { timeout: 30_000 }).not.toBe('—');
    expect(await ownNode.getAttribute('class')).not.toContain('rb-dead');
    expect(await page.evaluate(() => window.raybox.nodes().every((node) => node.alive))).toBe(true);
    expect(notebook.pageErrors).toEqual([]);
    await notebook.close();
  });

  it('a decoding failure rejects get() with a clear error instead of leaving it pending', async () => {
    const notebook = await open('/');
    // A tensor whose data does not match its shape cannot be rebuilt on the page.
    const cell = await notebook.addCodeCell(
      'const bad = raybox.remote(() => { const t = tf.ones([2, 2]); Object.defineProperty(t, "shape", { value: [3, 3] }); return t; });\nawait raybox.get(bad.remote())',
    );
    expect(await notebook.run(cell, 120_000)).toBe('failed');
    const error = await notebook.output(cell).locator('[data-kind="error"]').textContent();
    expect(error).toMatch(/could not be decoded on this page.*needs 9 values/s);
    await expect.poll(() => notebook.taskCount('RUNNING')).toBe(0);
    await notebook.close();
  });
});

describe('loops and workers', () => {
  it('a loop that never pauses is stopped, an awaiting one stops on Interrupt, and init({ numWorkers }) resizes the pool', { timeout: 120_000 }, async () => {
    const notebook = await open('/');
    const { page } = notebook;

    // 6. `while (true) {}` in a cell: the page stops it, says why, and the next cell runs.
    const frozen = await notebook.addCodeCell('let turns = 0;\nwhile (true) { turns++; }');
    expect(await notebook.run(frozen, 60_000)).toBe('interrupted');
    expect(await notebook.output(frozen).textContent()).toContain('without a pause');
    const after = await notebook.addCodeCell('turns > 0');
    expect(await notebook.run(after)).toBe('done');
    expect(await notebook.output(after).textContent()).toBe('true');
    // A loop that awaits keeps the page responsive: "Interrupt" stops it, even though it never checks.
    const awaiting = await notebook.addCodeCell('let laps = 0;\nwhile (true) { laps++; await new Promise((r) => setTimeout(r, 20)); }');
    await awaiting.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.evaluate(() => document.querySelector('[data-kernel]')?.textContent)).toBe('busy');
    await notebook.button('Interrupt').click();
    expect(await notebook.settled(awaiting)).toBe('interrupted');
    const lapsCell = await notebook.addCodeCell('const seen = laps;\nawait new Promise((r) => setTimeout(r, 200));\nlaps === seen');
    expect(await notebook.run(lapsCell)).toBe('done');
    expect(await notebook.output(lapsCell).textContent()).toBe('true');

    // 7. init({ numWorkers: 8 }) on the running page grows the pool: eight sleeping tasks run on eight workers.
    const grow = await notebook.addCodeCell(
      [
        'const info = await raybox.init({ numWorkers: 8 });',
        'const workers = new Set<string>();',
        "const stop = raybox.onEvent((e) => { if (e.type === 'task' && e.state === 'RUNNING' && e.workerId) workers.add(e.workerId); });",
        'const nap = raybox.remote(async (i: number) => { await new Promise((r) => setTimeout(r, 300)); return i; });',
        'await raybox.get(Array.from({ length: 8 }, (_, i) => nap.remote(i)));',
        'stop();',
        '[info.numWorkers, workers.size]',
      ].join('\n'),
    );
    expect(await notebook.run(grow, 60_000)).toBe('done');
    expect(await notebook.output(grow).locator('[data-kind="result"]').textContent()).toMatch(/8,\s*8/);
    await expect.poll(() => page.locator('tr[data-node]').first().locator('td').nth(3).textContent()).toBe('8');
    // Shrinking works too, and an option that cannot change on a running runtime says so.
    const shrink = await notebook.addCodeCell('(await raybox.init({ numWorkers: 2 })).numWorkers');
    expect(await notebook.run(shrink)).toBe('done');
    expect(await notebook.output(shrink).textContent()).toBe('2');
    const refused = await notebook.addCodeCell("await raybox.init({ tfBackend: 'cpu' })");
    expect(await notebook.run(refused)).toBe('failed');
    expect(await notebook.output(refused).textContent()).toContain('shutdown()');
    await notebook.close();
  });
});
