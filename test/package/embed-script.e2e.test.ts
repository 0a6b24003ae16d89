/**
 * The drop-in script on a static tutorial page (no bundler): the library build served as a static
 * host would, without cross-origin isolation. Every block runs when asked and only then, blocks
 * of one scope share their variables, a syntax error and a throwing block stay in their own
 * output, and the page is kept as light and dark screenshots.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotPath } from '../app/notebook-driver.ts';
import { chromiumArgs, chromiumPath } from '../support/chromium.ts';
import { tutorialPage } from './tutorial-page.ts';
import { readmeSnippet } from './readme-snippet.ts';

const repo = join(import.meta.dirname, '../..');

const ANSWER_NOTEBOOK = {
  format: 'raybox-notebook',
  version: 1,
  title: 'The answer',
  cells: [
    { type: 'markdown', source: '# The answer' },
    { type: 'code', language: 'typescript', source: 'const half: number = await raybox.get(raybox.remote(() => 21).remote());' },
    { type: 'code', source: 'half * 2' },
  ],
};

const ELEMENTS_PAGE = `<!doctype html><title>elements</title>
<script type="module" src="../lib/raybox/raybox-embed.js"></script>
<raybox-notebook src="answer.json" autorun theme="dark"></raybox-notebook>
<raybox-cell name="later">[1, 2].map((x) => x + 1)</raybox-cell>`;
let site: string;
let server: PreviewServer;
let url: string;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  site = mkdtempSync(join(tmpdir(), 'raybox-tutorial-'));
  await build({ configFile: join(repo, 'vite.lib.config.ts'), logLevel: 'silent', build: { outDir: join(site, 'lib/raybox'), emptyOutDir: true } });
  mkdirSync(join(site, 'guide'));
  writeFileSync(join(site, 'guide/index.html'), tutorialPage('../lib/raybox/raybox-embed.js'));
  // The README's snippet expects the package copied to ./raybox/ next to the page.
  writeFileSync(join(site, 'lib/readme.html'), readmeSnippet('drop-in'));
  writeFileSync(join(site, 'guide/answer.json'), JSON.stringify(ANSWER_NOTEBOOK));
  writeFileSync(join(site, 'guide/elements.html'), ELEMENTS_PAGE);
  server = await preview({ configFile: false, root: site, logLevel: 'silent', build: { outDir: site }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('the static server has no port');
  origin = `http://127.0.0.1:${address.port}`;
  url = `${origin}/guide/`;
  browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: chromiumArgs() });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (site) rmSync(site, { recursive: true, force: true });
});

async function runBlock(page: Page, id: string, expected: 'done' | 'failed'): Promise<string> {
  await page.click(`[data-raybox-run="${id}"]`);
  const block = page.locator(`[data-raybox-block="${id}"]`);
  await block.and(page.locator(`[data-status="${expected}"]`)).waitFor({ timeout: 60_000 });
  return (await block.locator('[data-output]').innerText()).trim();
}

describe('the drop-in script on a tutorial page', () => {
  it('runs each block on request in one runtime and one scope, keeping errors in their blocks', async () => {
    const page = await (await browser.newContext({ viewport: { width: 900, height: 1400 } })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(url);
    await page.locator('[data-raybox-run]').nth(5).waitFor();

    // Included twice, mounted once; nothing has run, not even init().
    expect(await page.locator('[data-raybox-run]').count()).toBe(6);
    expect(await page.locator('style[data-raybox]').count()).toBe(1);
    expect(await page.evaluate(() => ({ isolated: crossOriginIsolated, started: window.rayboxEmbed?.raybox.isInitialized() }))).toEqual({ isolated: false, started: false });
    expect(await page.locator('[data-output]:not(:empty)').count()).toBe(0);

    // "squares" depends on "setup", which runs first.
    expect(await runBlock(page, 'squares', 'done')).toContain('[1, 4, 9, 16]');
    expect(await page.locator('[data-raybox-block="setup"]').getAttribute('data-status')).toBe('done');
    // Its four tasks show in a compact timeline under its output; "setup" ran none and shows none.
    const strip = page.locator('[data-raybox-block="squares"] [data-raybox-timeline]');
    await strip.and(page.locator('[data-spans="4"]')).waitFor({ timeout: 30_000 });
    expect(await strip.locator('.raybox-timeline-summary').innerText()).toMatch(/^4 tasks on [12] workers? · /);
    expect(await page.locator('[data-raybox-block="setup"] [data-raybox-timeline]').isHidden()).toBe(true);

    await runBlock(page, 'curve', 'done');
    await page.locator('[data-raybox-block="curve"] .rb-chart canvas').first().waitFor();

    const typo = await runBlock(page, 'typo', 'failed');
    expect(typo).toMatch(/SyntaxError: .*\(line 1, column \d+\)/);
    const thrown = await runBlock(page, 'throws', 'failed');
    expect(thrown).toContain('no such dataset: 4');

    // The blocks after the failures still run, in the same scope.
    expect(await runBlock(page, 'after', 'done')).toContain('[10, 20, 30, 40]');
    // Each error showed in its own block only.
    expect(await page.locator('[data-raybox-block="after"] .rb-error').count()).toBe(0);
    expect(await page.locator('[data-raybox-block="squares"] .rb-error').count()).toBe(0);
    expect(errors).toEqual([]);

    await page.screenshot({ path: screenshotPath('embed-tutorial-light.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: screenshotPath('embed-tutorial-dark.png'), fullPage: true });
    // The dark scheme reached the blocks through the custom properties.
    const background = await page.locator('[data-raybox-block="setup"]').evaluate((node) => getComputedStyle(node).backgroundColor);
    expect(background).toBe('rgb(27, 33, 41)');
    await page.context().close();
  }, 240_000);

  it("runs the README's drop-in snippet verbatim", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${origin}/lib/readme.html`);
    const run = page.locator('[data-raybox-run]').nth(1);
    await run.click();
    const block = page.locator('[data-raybox-block]').nth(1);
    await block.and(page.locator('[data-status="done"]')).waitFor({ timeout: 60_000 });
    expect((await block.locator('[data-output]').innerText()).trim()).toContain('[1, 4, 9]');
    await page.context().close();
  }, 120_000);

  it('<raybox-notebook autorun> runs a saved notebook in one scope; <raybox-cell> waits for Run', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${origin}/guide/elements.html`);
    const blocks = page.locator('raybox-notebook [data-raybox-block]');
    await blocks.nth(1).and(page.locator('[data-status="done"]')).waitFor({ timeout: 60_000 });
    expect(await page.locator('raybox-notebook h1').innerText()).toBe('The answer');
    expect((await blocks.nth(1).locator('[data-output]').innerText()).trim()).toBe('42');
    expect(await page.locator('raybox-notebook').getAttribute('data-theme')).toBe('dark');
    const cell = page.locator('raybox-cell [data-raybox-block="later"]');
    expect(await cell.locator('[data-output]').innerText()).toBe('');
    expect(await runBlock(page, 'later', 'done')).toContain('[2, 3]');
    await page.context().close();
  }, 120_000);
});
