/**
 * What Jupyter and Colab users expect: outputs kept in the saved and exported notebook and shown
 * after a reload as from a previous run, clearing outputs, collapsing one, run above / from here,
 * the variable inspector, find and replace, and the shortcut help. Plus the page in light, dark
 * and at phone width, kept as screenshots.
 */
import { describe, expect, it } from 'vitest';
import { useNotebookPages, screenshotPath, type NotebookPage } from './notebook-driver.ts';

const open = useNotebookPages();

function statuses(notebook: NotebookPage): Promise<string[]> {
  return notebook.codeCells.evaluateAll((cells) => cells.map((cell) => (cell as HTMLElement).dataset['status'] ?? ''));
}

describe('the notebook as Jupyter users know it', () => {
  it('keeps outputs across a reload and in the export, clears and collapses them, runs above / from here', { timeout: 120_000 }, async () => {
    const notebook = await open('/');
    const { page } = notebook;
    const first = await notebook.addCodeCell("console.log('first ran');\nconst base = 20;\nbase");
    const second = await notebook.addCodeCell('const doubled = base * 2;\ndoubled');
    const third = await notebook.addCodeCell('doubled + 2');
    expect(await notebook.run(first)).toBe('done');
    expect(await notebook.run(second)).toBe('done');
    expect(await notebook.run(third)).toBe('done');
    expect(await notebook.output(third).textContent()).toBe('42');

    // Outputs are saved with the notebook: the export has them.
    const [exported] = await Promise.all([page.waitForEvent('download'), notebook.button('Export').click()]);
    const file = JSON.parse(Buffer.concat(await (await exported.createReadStream()).toArray()).toString('utf8')) as {
      cells: { source: string; outputs?: { kind: string; text: string }[]; executionCount?: number }[];
    };
    const savedThird = file.cells.find((cell) => cell.source === 'doubled + 2');
    expect(savedThird?.outputs).toEqual([{ kind: 'result', text: '42' }]);
    expect(savedThird?.executionCount).toBe(3);
    expect(file.cells.find((cell) => cell.source.startsWith("console.log('first ran')"))?.outputs).toEqual([
      { kind: 'log', level: 'log', text: 'first ran' },
      { kind: 'result', text: '20' },
    ]);

    // After a reload they are there again, marked as from a previous run.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 600)));
    await page.reload();
    await page.locator('[data-cell]').first().waitFor();
    const reloadedThird = notebook.codeCells.last();
    expect(await reloadedThird.locator('[data-kind="result"]').textContent()).toBe('42');
    expect(await reloadedThird.locator('[data-previous-run]').count()).toBe(1);
    expect(await reloadedThird.locator('.rb-count').textContent()).toBe('[3]');

    // Clear one cell's output, then all.
    await reloadedThird.hover();
    await reloadedThird.getByRole('button', { name: 'Clear output' }).click();
    expect(await notebook.output(reloadedThird).textContent()).toBe('');
    const reloadedFirst = notebook.codeCells.nth((await notebook.codeCells.count()) - 3);
    expect(await notebook.output(reloadedFirst).textContent()).toContain('first ran');
    await notebook.button('Clear all outputs').click();
    expect(await page.locator('[data-output]').allTextContents()).toEqual((await page.locator('[data-output]').allTextContents()).map(() => ''));

    // Run from here on the second of our cells: it fails (base is gone after the reload) and the one below is skipped.
    const reloadedSecond = notebook.codeCells.nth((await notebook.codeCells.count()) - 2);
    await reloadedSecond.locator('.rb-count').click();
    await notebook.button('Run from here').click();
    expect(await notebook.settled(reloadedSecond)).toBe('failed');
    expect((await statuses(notebook)).slice(-3)).toEqual(['idle', 'failed', 'idle']);
    // Run all above the third: every cell above it runs, including the welcome's, and the third does not.
    await reloadedThird.locator('.rb-count').click();
    await notebook.button('Run all above').click();
    await expect.poll(async () => (await statuses(notebook)).slice(0, -1).every((status) => status === 'done'), { timeout: 30_000 }).toBe(true);
    expect((await statuses(notebook)).at(-1)).toBe('idle');
    expect(await notebook.output(reloadedSecond).textContent()).toBe('40');

    // Collapse an output (O in command mode, or its bar) and bring it back.
    await reloadedSecond.locator('.rb-count').click();
    await page.keyboard.press('o');
    expect(await notebook.output(reloadedSecond).isHidden()).toBe(true);
    await reloadedSecond.getByRole('button', { name: 'Expand output' }).click();
    expect(await notebook.output(reloadedSecond).textContent()).toBe('40');
    expect(await notebook.output(reloadedSecond).isVisible()).toBe(true);
    expect(notebook.pageErrors).toEqual([]);
    await notebook.close();
  });

  it('lists variables, finds and replaces across cells, shows the shortcuts with H, runs commands from the palette; light, dark and 390 px screenshots', { timeout: 120_000 }, async () => {
    const notebook = await open('/');
    const { page } = notebook;
    const cellA = await notebook.addCodeCell('const speed = 3;\nconst names = ["ray", "box"];');
    const cellB = await notebook.addCodeCell('const table = new Map([[1, speed]]);\nspeed * 2');
    expect(await notebook.run(cellA)).toBe('done');
    expect(await notebook.run(cellB)).toBe('done');

    // The variable inspector: names, types and sizes of what the cells declared.
    await notebook.button('Variables').click();
    const row = (name: string) => page.locator(`[data-variables] tr[data-variable="${name}"] td`);
    await expect.poll(() => row('speed').allTextContents()).toEqual(['speed', 'number', '', '3']);
    expect((await row('names').allTextContents()).slice(0, 3)).toEqual(['names', 'Array', '2 items']);
    expect((await row('table').allTextContents()).slice(0, 3)).toEqual(['table', 'Map', '1 entries']);

    // Find and replace across cells: F opens it; "Replace all" rewrites both cells; the renamed code runs.
    await cellB.locator('.rb-count').click();
    await page.keyboard.press('f');
    const find = page.getByRole('searchbox', { name: 'Find' });
    await expect.poll(() => find.evaluate((input) => input === document.activeElement)).toBe(true);
    await find.fill('speed');
    await expect.poll(() => page.locator('[data-find-count]').textContent()).toBe('3 matches in 2 cells');
    await notebook.button('Find next').click();
    expect(await page.locator('[data-find-count]').textContent()).toBe('3 matches in 2 cells (1 of 3)');
    await page.getByRole('textbox', { name: 'Replace with' }).fill('velocity');
    await notebook.button('Replace all').click();
    await expect.poll(() => cellA.locator('.cm-content').textContent()).toBe('const velocity = 3;const names = ["ray", "box"];');
    expect(await cellB.locator('.cm-content').textContent()).toBe('const table = new Map([[1, velocity]]);velocity * 2');
    expect(await page.locator('[data-find-count]').textContent()).toContain('Replaced 3.');
    expect(await notebook.run(cellA)).toBe('done');
    expect(await notebook.run(cellB)).toBe('done');
    expect(await notebook.output(cellB).textContent()).toBe('6');
    await expect.poll(() => row('velocity').count()).toBe(4);
    await notebook.button('Close find').click();

    // H shows the keyboard shortcuts; Escape closes them.
    await cellB.locator('.rb-count').click();
    await page.keyboard.press('h');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect.poll(() => help.isVisible()).toBe(true);
    expect(await help.textContent()).toContain('undo the last cell deletion');
    await page.screenshot({ path: screenshotPath('notebook-shortcuts.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => help.isVisible()).toBe(false);

    // The command palette runs a command by name: here it hides the variable inspector.
    expect(await page.locator('[data-variables]').isVisible()).toBe(true);
    await page.keyboard.press('Control+Shift+P');
    const command = page.getByRole('searchbox', { name: 'Command' });
    await expect.poll(() => command.isVisible()).toBe(true);
    await command.fill('variables');
    expect(await page.getByRole('listbox', { name: 'Commands' }).getByRole('button').allTextContents()).toEqual(['Show or hide variables · V']);
    await command.press('Enter');
    await expect.poll(() => page.locator('[data-variables]').isVisible()).toBe(false);
    expect(await command.isVisible()).toBe(false);

    // The page in light and dark, and at 390 px without sideways scrolling.
    await page.emulateMedia({ colorScheme: 'light' });
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    await page.screenshot({ path: screenshotPath('notebook-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(background).not.toBe(light);
    await page.screenshot({ path: screenshotPath('notebook-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: screenshotPath('notebook-390px.png'), fullPage: false });
    const headerHeight = await page.locator('.rb-header').evaluate((header) => header.getBoundingClientRect().height);
    expect(headerHeight).toBeLessThan(844 / 3);
    expect(notebook.pageErrors).toEqual([]);
    await notebook.close();
  });
});
