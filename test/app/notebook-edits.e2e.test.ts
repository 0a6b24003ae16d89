/**
 * No lost work: deleting a cell is undoable and undo never reaches another cell; a notebook
 * opened from a share link keeps its edits as the user's own copy across a reload.
 */
import { describe, expect, it } from 'vitest';
import { useNotebookPages, type NotebookPage } from './notebook-driver.ts';

const open = useNotebookPages();

/** The text of every code cell, in order. */
function sources(notebook: NotebookPage): Promise<string[]> {
  return notebook.codeCells.locator('.cm-content').allTextContents();
}

describe('a notebook from a share link, edited', () => {
  it('undoes deletions (D D then Ctrl+Z or Z, ✕ then "Undo") without touching other cells, and keeps the edits as the user\'s copy', { timeout: 120_000 }, async () => {
    const author = await open('/');
    await author.addCodeCell('const x = "X";');
    await author.addCodeCell('const y = "Y";');
    await author.button('Share notebook').click();
    const link = new URL(await author.page.getByRole('textbox', { name: 'Share link' }).inputValue());
    await author.close();

    const notebook = await open(link.pathname + link.hash);
    const { page } = notebook;
    expect(await page.locator('[data-origin]').textContent()).toContain('Shared notebook');
    const before = await sources(notebook);
    expect(before.slice(-2)).toEqual(['const x = "X";', 'const y = "Y";']);
    const cellX = notebook.codeCells.nth(before.length - 2);
    const cellY = notebook.codeCells.nth(before.length - 1);
    // Type into Y first, so the browser's own undo history has something of Y's to replay.
    await cellY.locator('.cm-content').click();
    await page.keyboard.press('End');
    await page.keyboard.insertText(' // edited');
    const edited = [...before.slice(0, -1), 'const y = "Y"; // edited'];
    await expect.poll(() => sources(notebook)).toEqual(edited);

    // 2. Select X in command mode, D D, Ctrl+Z: X comes back, Y keeps its text.
    await cellX.locator('.rb-count').click();
    await page.keyboard.press('Escape');
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await expect.poll(() => sources(notebook)).toEqual(edited.filter((s) => s !== 'const x = "X";'));
    await expect.poll(() => page.locator('[data-toast]').textContent()).toContain('deleted');
    await page.keyboard.press('Control+z');
    await expect.poll(() => sources(notebook)).toEqual(edited);
    // Again with Jupyter's Z.
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await expect.poll(() => sources(notebook)).toHaveLength(edited.length - 1);
    await page.keyboard.press('z');
    await expect.poll(() => sources(notebook)).toEqual(edited);
    // Ctrl+Z with nothing left to undo changes nothing.
    await page.keyboard.press('Control+z');
    expect(await sources(notebook)).toEqual(edited);
    // The ✕ button, then the toast's "Undo".
    const restoredX = notebook.codeCells.nth(edited.length - 2);
    await restoredX.hover();
    await restoredX.getByRole('button', { name: 'Delete cell' }).click();
    await expect.poll(() => sources(notebook)).toHaveLength(edited.length - 1);
    await page.locator('[data-toast]').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => sources(notebook)).toEqual(edited);
    expect(await page.locator('[data-toast]').isHidden()).toBe(true);

    // 3. The first edit made the shared notebook the user's copy: its own address, its own title.
    await expect.poll(() => page.url()).toContain('?copy=');
    expect(page.url()).not.toContain('#nb=');
    expect(await page.getByRole('textbox', { name: 'Notebook title' }).inputValue()).toMatch(/^Copy of /);
    expect(await page.locator('[data-origin]').textContent()).toContain('Your copy');
    // Autosave keeps it: after a reload the copy opens, with every edit.
    await expect.poll(() => page.evaluate(() => document.title)).toMatch(/^Copy of /);
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 600)));
    await page.reload();
    await page.locator('[data-cell]').first().waitFor();
    expect(await sources(notebook)).toEqual(edited);
    expect(await page.getByRole('textbox', { name: 'Notebook title' }).inputValue()).toMatch(/^Copy of /);
    expect(await page.locator('[data-origin]').textContent()).toContain('Your copy');
    expect(notebook.pageErrors).toEqual([]);
    await notebook.close();
  });
});
