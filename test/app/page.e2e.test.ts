import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { launchBrowser, startAppServer } from '../support/page-harness.ts';

let server: ViteDevServer;
let url: string;
let context: BrowserContext;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  ({ server, url } = await startAppServer());
  ({ context, close: closeBrowser } = await launchBrowser());
});
afterAll(async () => {
  await closeBrowser?.();
  await server?.close();
});

describe('the app page', () => {
  it('exposes window.raybox and shows the node and task counts as tasks run', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url);
    await page.locator('[data-nodes] tr').first().waitFor();
    const result = await page.evaluate(async () => {
      const { raybox } = window;
      const square = raybox.remote((x: number) => x * x);
      return raybox.get([1, 2, 3].map((x) => square.remote(x)));
    });
    expect(result).toEqual([1, 4, 9]);
    await expect.poll(() => page.locator('dd[data-state="FINISHED"]').textContent()).toBe('3');
    expect(await page.locator('[data-nodes] tr').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});
