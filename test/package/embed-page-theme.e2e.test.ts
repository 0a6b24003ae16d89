/**
 * embed.html takes its theme from the tutorial around it (`?theme=dark|light`), whatever the
 * reader's system prefers; without the parameter it follows the system, as before. `?autorun` is
 * the author's "run on load".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { chromiumArgs, chromiumPath } from '../support/chromium.ts';
import { startAppServer } from '../support/page-harness.ts';

let server: ViteDevServer;
let url: string;
let browser: Browser;

beforeAll(async () => {
  ({ server, url } = await startAppServer());
  browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: chromiumArgs() });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function background(query: string, system: 'light' | 'dark'): Promise<string> {
  const context = await browser.newContext({ colorScheme: system });
  const page = await context.newPage();
  await page.goto(`${url}/embed.html?notebook=learning-ray-ch1${query}`);
  await page.locator('[data-cell]').first().waitFor({ timeout: 60_000 });
  const value = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--rb-bg').trim());
  await context.close();
  return value;
}

describe('embed.html themes', () => {
  it('uses the theme the page asks for, else the system one', async () => {
    expect(await background('&theme=dark', 'light')).toBe('#12161c');
    expect(await background('&theme=light', 'dark')).toBe('#f6f7f9');
    expect(await background('', 'dark')).toBe('#12161c');
    expect(await background('', 'light')).toBe('#f6f7f9');
  }, 180_000);

  it('runs every cell on load with ?autorun, and none without', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/embed.html?notebook=learning-ray-ch1&autorun`);
    const cells = page.locator('[data-cell][data-type="code"]');
    await cells.first().waitFor({ timeout: 60_000 });
    await expect.poll(() => cells.last().getAttribute('data-status'), { timeout: 120_000 }).toBe('done');
    expect(await cells.first().getAttribute('data-status')).toBe('done');
    await page.goto(`${url}/embed.html?notebook=learning-ray-ch1`);
    await cells.first().waitFor({ timeout: 60_000 });
    expect(await cells.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-status')).filter((s) => s !== 'idle'))).toEqual([]);
    await context.close();
  }, 240_000);
});
