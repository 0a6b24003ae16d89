import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { chromiumArgs, chromiumPath } from './chromium.ts';

/** The app's dev server on a free port of 127.0.0.1, for tests that open real pages. */
export async function startAppServer(): Promise<{ url: string; server: ViteDevServer }> {
  const server = await createServer({
    configFile: join(import.meta.dirname, '../../vite.config.ts'),
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
    logLevel: 'warn',
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the dev server has no port');
  return { url: `http://127.0.0.1:${address.port}`, server };
}

/** System Chromium, headless, with a fresh profile that is deleted on close. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'raybox-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: chromiumArgs(),
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** System Chromium, headless, for tests that need several pages with separate storage each. */
export async function launchBrowserForPages(): Promise<{ newPage: (url: string) => Promise<Page>; close: () => Promise<void> }> {
  const browser: Browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: chromiumArgs() });
  return {
    newPage: async (url: string) => {
      const page = await (await browser.newContext()).newPage();
      page.on('pageerror', (error) => console.error(`page error on ${url}: ${String(error)}`));
      await page.goto(url);
      await page.waitForFunction(() => 'raybox' in window);
      return page;
    },
    close: () => browser.close(),
  };
}
