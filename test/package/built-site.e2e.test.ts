/**
 * The deployable site as `npm run build` writes it (the app, then the library into `lib/`), served
 * by a plain static host: files as they are, no isolation headers, `Access-Control-Allow-Origin: *`
 * as GitHub Pages sends. The getting-started page runs every block through the built drop-in
 * script, and the built notebook app opens an example and runs it all.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchNotebookBrowser } from '../app/notebook-driver.ts';

const repo = join(import.meta.dirname, '../..');
let site: string;
let server: PreviewServer;
let baseUrl: string;
let browser: Awaited<ReturnType<typeof launchNotebookBrowser>>;

beforeAll(async () => {
  // The same two builds as `npm run build`, into a folder of the test's own.
  const script = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['build'];
  expect(script).toContain('vite build && vite build -c vite.lib.config.ts --outDir dist/lib');
  site = mkdtempSync(join(tmpdir(), 'raybox-site-'));
  await build({ root: repo, configFile: join(repo, 'vite.config.ts'), logLevel: 'error', build: { outDir: site, emptyOutDir: true } });
  await build({ root: repo, configFile: join(repo, 'vite.lib.config.ts'), logLevel: 'error', build: { outDir: join(site, 'lib'), emptyOutDir: true } });
  server = await preview({ configFile: false, root: site, logLevel: 'silent', build: { outDir: site }, preview: { host: '127.0.0.1', port: 0, strictPort: false, cors: { origin: '*' } } });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('the static server has no port');
  baseUrl = `http://127.0.0.1:${address.port}`;
  browser = await launchNotebookBrowser(baseUrl);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (site) rmSync(site, { recursive: true, force: true });
});

describe('the built site on a static host', () => {
  it('runs every block of the getting-started page', async () => {
    const notebook = await browser.open('/index.html');
    const page = notebook.page;
    await page.goto(`${baseUrl}/getting-started.html`);
    const buttons = page.locator('[data-raybox-run]');
    await buttons.nth(3).waitFor();
    expect(await buttons.count()).toBe(4);
    const outputs: string[] = [];
    for (let i = 0; i < 4; i++) {
      await buttons.nth(i).click();
      const block = page.locator('[data-raybox-block]').nth(i);
      await block.and(page.locator('[data-status="done"], [data-status="failed"]')).waitFor({ timeout: 120_000 });
      outputs.push((await block.locator('[data-output]').innerText()).trim());
    }
    expect(outputs[1]).toContain('[1, 4, 9, 16]');
    expect(outputs[2]).toBe('7');
    expect(outputs[3]).toBe('6.5');
    expect(await page.locator('[data-raybox-block][data-status="failed"]').count()).toBe(0);
    expect(notebook.pageErrors).toEqual([]);
    await notebook.close();
  }, 300_000);

  it('opens an example notebook in the built app and runs it all', async () => {
    const notebook = await browser.open('/?notebook=learning-ray-ch2');
    const statuses = await notebook.runAll(400_000);
    expect(await notebook.errorOutputs()).toEqual([]);
    expect(statuses.length).toBeGreaterThan(3);
    expect(statuses.every((status) => status === 'done')).toBe(true);
    expect(notebook.pageErrors).toEqual([]);
    await notebook.close();
  }, 420_000);
});
