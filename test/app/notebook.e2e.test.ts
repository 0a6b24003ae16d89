/**
 * The notebook page as a person uses it: typing code in cells, running them, reading outputs,
 * interrupting, importing and sharing, and the dashboard beside it. Real dev server, real
 * Chromium, real workers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ViteDevServer } from 'vite';
import { startAppServer } from '../support/page-harness.ts';
import { launchNotebookBrowser, screenshotPath, type NotebookPage } from './notebook-driver.ts';

let server: ViteDevServer;
let baseUrl: string;
let open: (path: string) => Promise<NotebookPage>;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  ({ server, url: baseUrl } = await startAppServer());
  ({ open, close: closeBrowser } = await launchNotebookBrowser(baseUrl));
});
afterAll(async () => {
  await closeBrowser?.();
  await server?.close();
});

describe('notebook cells', () => {
  it('runs typed code, and a name declared in one cell is used by the next', async () => {
    const notebook = await open('/');
    const { page } = notebook;
    await notebook.button('Add code cell').click();
    await page.keyboard.type('const answer = 40 + 2;');
    const first = page.locator('[data-cell].rb-selected');
    expect(await notebook.run(first)).toBe('done');

    const second = await notebook.addCodeCell('const double = raybox.remote((x: number) => x * 2);\nawait raybox.get(double.remote(answer))');
    expect(await notebook.run(second)).toBe('done');
    await expect.poll(() => notebook.output(second).textContent()).toBe('84');
    expect(await second.locator('.rb-count').textContent()).toBe('[2]');

    // Shift+Enter runs the cell and moves on to a new one.
    const third = await notebook.addCodeCell("console.log('double is', answer * 2); ({ answer, list: [1, 2, 3] })");
    await third.locator('.cm-content').click();
    await page.keyboard.press('Shift+Enter');
    expect(await notebook.settled(third)).toBe('done');
    await expect.poll(() => notebook.output(third).locator('[data-kind="log"]').textContent()).toBe('double is 84');
    expect(await notebook.output(third).locator('[data-kind="result"] summary').first().textContent()).toContain('answer: 42');
    expect(notebook.pageErrors).toEqual([]);
    await notebook.close();
  });

  it('edits cells with Jupyter keys and the cell tools', async () => {
    const notebook = await open('/');
    const { page } = notebook;
    const count = await notebook.cells.count();
    // Escape leaves the editor for command mode; B adds a code cell below, in edit mode.
    await notebook.codeCells.first().locator('.cm-content').click();
    await page.keyboard.press('Escape');
    await page.keyboard.press('b');
    await expect.poll(() => notebook.cells.count()).toBe(count + 1);
    await page.keyboard.type('1 + 1');
    const added = page.locator('[data-cell].rb-selected');
    expect(await added.locator('.cm-content').textContent()).toBe('1 + 1');
    // D D deletes it.
    await page.keyboard.press('Escape');
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await expect.poll(() => notebook.cells.count()).toBe(count);

    // A text cell renders its Markdown on Shift+Enter, which (on the last cell) adds a code cell to go on with.
    await notebook.button('Add text cell').click();
    const text = page.locator('[data-cell].rb-selected');
    const id = await text.getAttribute('data-cell');
    await page.keyboard.insertText('## Hello *world*');
    await page.keyboard.press('Shift+Enter');
    const cell = page.locator(`[data-cell="${id}"]`);
    await expect.poll(() => cell.locator('.rb-rendered h2').textContent()).toBe('Hello world');
    expect(await notebook.cells.count()).toBe(count + 2);
    // Move it up, then make it a code cell.
    const indexOf = () => page.locator('[data-cell]').evaluateAll((cells, cellId) => cells.findIndex((c) => c.getAttribute('data-cell') === cellId), id);
    const before = await indexOf();
    await cell.hover();
    await cell.getByRole('button', { name: 'Move cell up' }).click();
    expect(await indexOf()).toBe(before - 1);
    await cell.getByRole('button', { name: 'Convert to code' }).click();
    expect(await cell.getAttribute('data-type')).toBe('code');
    expect(await cell.locator('.cm-content').textContent()).toBe('## Hello *world*');
    await cell.getByRole('button', { name: 'Delete cell' }).click();
    await expect.poll(() => notebook.cells.count()).toBe(count + 1);
    await notebook.close();
  });

  it('shows the remote stack of an error and the task that raised it', async () => {
    const notebook = await open('/');
    const cell = await notebook.addCodeCell(
      "const boom = raybox.remote(function boom(x: number) {\n  if (x > 1) throw new RangeError('x is too large');\n  return x;\n});\nawait raybox.get(boom.remote(5))",
    );
    expect(await notebook.run(cell)).toBe('failed');
    const error = notebook.output(cell).locator('[data-kind="error"]');
    await expect.poll(() => error.textContent()).toContain('RangeError: x is too large');
    expect(await error.textContent()).toContain('raised in task boom');
    expect(await error.locator('[data-remote-stack]').textContent()).toMatch(/boom/);
    await notebook.close();
  });

  it('shows a syntax error with its line and column and runs nothing', async () => {
    const notebook = await open('/');
    const cell = await notebook.addCodeCell("globalThis.ran = true;\nconst b = (1 + ;");
    expect(await notebook.run(cell)).toBe('failed');
    const text = await notebook.output(cell).locator('[data-kind="syntax-error"]').textContent();
    expect(text).toMatch(/SyntaxError: .*\(line 2, column \d+\)/);
    expect(await notebook.page.evaluate(() => (globalThis as { ran?: boolean }).ran)).toBeUndefined();
    await notebook.close();
  });

  it('"Interrupt" stops a long task, and the next cell runs', async () => {
    const notebook = await open('/');
    const cell = await notebook.addCodeCell(
      'const spin = raybox.remote(function spin() {\n  const end = Date.now() + 120_000;\n  while (Date.now() < end) {}\n  return "finished";\n});\nawait raybox.get(spin.remote())',
    );
    await cell.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => notebook.taskCount('RUNNING'), { timeout: 15_000 }).toBe(1);
    await notebook.button('Interrupt').click();
    expect(await notebook.settled(cell, 10_000)).toBe('interrupted');
    expect(await notebook.output(cell).textContent()).toContain('Interrupted: 1 task cancelled');
    await expect.poll(() => notebook.taskCount('CANCELLED')).toBe(1);
    expect(await notebook.taskCount('RUNNING')).toBe(0);

    const next = await notebook.addCodeCell('await raybox.get(raybox.remote((x: number) => x + 1).remote(1))');
    expect(await notebook.run(next)).toBe('done');
    expect(await notebook.output(next).textContent()).toBe('2');
    await notebook.close();
  });

  it("the dashboard's task counts, list and timeline match what ran", async () => {
    const notebook = await open('/');
    const cell = await notebook.addCodeCell(
      [
        'const work = raybox.remote(async function work(i: number) {',
        '  await new Promise((r) => setTimeout(r, 30));',
        "  if (i % 10 === 9) throw new Error(`item ${i} is bad`);",
        "  console.log('working on', i);",
        '  return i;',
        '});',
        'const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => raybox.get(work.remote(i))));',
        "results.filter((r) => r.status === 'fulfilled').length",
      ].join('\n'),
    );
    expect(await notebook.run(cell)).toBe('done');
    expect(await notebook.output(cell).locator('[data-kind="result"]').textContent()).toBe('27');
    // The counts are drawn a few times a second: a frame may show the last failure after the last finish.
    await expect.poll(() => notebook.taskCount('FINISHED')).toBe(27);
    await expect.poll(() => notebook.taskCount('FAILED')).toBe(3);
    expect(await notebook.taskCount('RUNNING')).toBe(0);
    // Task logs are attributed to their task in the cell's output and in the dashboard's Logs.
    await expect.poll(() => notebook.output(cell).locator('[data-kind="log"][data-task]').count()).toBe(27);
    const { page } = notebook;
    expect(await page.locator('[data-task-total]').textContent()).toBe('30 tasks');
    expect(await page.locator('.rb-task-list .rb-task-FAILED').count()).toBeGreaterThan(0);
    await page.getByRole('searchbox', { name: 'Filter logs by task' }).fill('work');
    expect(await page.locator('.rb-log-list .rb-vlist-row:not([hidden])').count()).toBeGreaterThan(0);
    const timeline = page.locator('.rb-timeline');
    await expect.poll(() => timeline.getAttribute('data-spans')).toBe('30');
    // The Chrome trace export has one complete event per task run.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export trace' }).click()]);
    const trace = JSON.parse(await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'))) as {
      traceEvents: { ph: string; name: string; dur?: number }[];
    };
    const spans = trace.traceEvents.filter((event) => event.ph === 'X');
    expect(spans).toHaveLength(30);
    expect(spans.every((event) => event.name === 'work' && (event.dur ?? 0) > 0)).toBe(true);
    await page.locator('section[aria-label="Timeline"]').screenshot({ path: screenshotPath('dashboard-timeline.png') });
    await page.screenshot({ path: screenshotPath('notebook-with-dashboard.png') });
    await notebook.close();
  });
});

describe('notebook files', () => {
  it('refuses a file that is not a notebook and keeps what is open', async () => {
    const notebook = await open('/');
    const { page } = notebook;
    const before = await notebook.cells.count();
    const title = await page.getByRole('textbox', { name: 'Notebook title' }).inputValue();
    for (const [name, text] of [
      ['notes.txt', 'this is not json'],
      ['other.json', JSON.stringify({ cells: 3 })],
      ['broken.json', JSON.stringify({ format: 'raybox-notebook', version: 1, title: 'x', cells: [{ type: 'plot' }] })],
    ] as const) {
      await page.locator('[data-import]').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
      const alert = page.getByRole('alert');
      await expect.poll(() => alert.textContent()).toMatch(/not a raybox notebook|damaged/);
      expect(await alert.textContent()).toContain('Nothing was replaced');
      expect(await notebook.cells.count()).toBe(before);
      expect(await page.getByRole('textbox', { name: 'Notebook title' }).inputValue()).toBe(title);
    }
    // Export writes the notebook as a file that import reads back.
    const [exported] = await Promise.all([page.waitForEvent('download'), notebook.button('Export').click()]);
    const text = Buffer.concat(await (await exported.createReadStream()).toArray()).toString('utf8');
    expect(JSON.parse(text)).toMatchObject({ format: 'raybox-notebook', version: 1, title });
    expect((JSON.parse(text) as { cells: unknown[] }).cells).toHaveLength(before);
    // A good file does replace it.
    const good = { format: 'raybox-notebook', version: 1, title: 'Imported', cells: [{ type: 'code', source: '1 + 1' }] };
    await page.locator('[data-import]').setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) });
    await expect.poll(() => notebook.cells.count()).toBe(1);
    expect(await page.getByRole('textbox', { name: 'Notebook title' }).inputValue()).toBe('Imported');
    await notebook.close();
  });

  it('shares a notebook as a link that carries it, and refuses a damaged link', async () => {
    const notebook = await open('/');
    await notebook.addCodeCell("const shared = 'carried in the link';\nshared");
    await notebook.button('Share notebook').click();
    const link = await notebook.page.getByRole('textbox', { name: 'Share link' }).inputValue();
    expect(link).toMatch(/#nb=[A-Za-z0-9_-]+$/);
    await notebook.close();

    const receiver = await open(new URL(link).pathname + new URL(link).hash);
    expect(await receiver.page.locator('.cm-content').allTextContents()).toContain("const shared = 'carried in the link';shared");
    await receiver.close();

    const damaged = await open('/#nb=' + link.split('#nb=')[1]?.slice(0, 20));
    await expect.poll(() => damaged.page.getByRole('alert').textContent()).toContain('share link is damaged');
    expect(await damaged.cells.count()).toBeGreaterThan(0);
    await damaged.close();
  });

  it('autosaves edits and restores them after a reload', async () => {
    const notebook = await open('/');
    await notebook.addCodeCell('const kept = "after reload"');
    await notebook.page.waitForTimeout(800);
    await notebook.page.reload();
    await notebook.page.locator('[data-cell]').first().waitFor();
    expect(await notebook.page.locator('.cm-content').allTextContents()).toContain('const kept = "after reload"');
    await notebook.close();
  });
});

describe('the embed', () => {
  it('shows a notebook without the app chrome, runs cells on request and tells its parent its height', async () => {
    const host = await open('/');
    const { page } = host;
    await page.setContent(
      `<script>window.heights = []; addEventListener('message', (e) => { if (e.data && e.data.type === 'raybox-embed:height') heights.push(e.data.height); });</script>` +
        `<iframe id="embed" src="${baseUrl}/embed.html?notebook=learning-ray-ch1" style="width: 900px; height: 400px"></iframe>`,
    );
    const frame = page.frameLocator('#embed');
    await frame.locator('[data-cell]').first().waitFor();
    expect(await frame.locator('[data-dashboard], .rb-header').count()).toBe(0);
    expect(await frame.getByRole('button', { name: 'Run all', exact: true }).count()).toBe(1);
    await expect.poll(() => page.evaluate(() => (window as unknown as { heights: number[] }).heights.length)).toBeGreaterThan(0);
    // The height it reports last is the one that counts (an earlier one may be of a layout still settling).
    const lastHeight = () => page.evaluate(() => (window as unknown as { heights: number[] }).heights.at(-1) ?? 0);
    const before = await lastHeight();
    expect(before).toBeGreaterThan(400);

    // Nothing ran yet; the reader runs the first code cell.
    const cell = frame.locator('[data-cell][data-type="code"]').first();
    expect(await cell.getAttribute('data-status')).toBe('idle');
    await cell.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => cell.getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
    // Outputs render on the next frame after the status changes.
    await expect.poll(() => cell.locator('[data-output]').textContent()).toContain('nodeId');
    await expect.poll(lastHeight).toBeGreaterThan(before);
    await host.close();
  });
});
