/**
 * Every notebook in public/notebooks/ runs from top to bottom with "Run all" and shows no error,
 * so no example can rot unnoticed. Along the way the tests keep screenshots of a live training
 * curve and of the dashboard's timeline.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ViteDevServer } from 'vite';
import { startAppServer } from '../support/page-harness.ts';
import { launchNotebookBrowser, screenshotPath, type NotebookPage } from './notebook-driver.ts';

const notebooks = readdirSync(join(import.meta.dirname, '../../public/notebooks'))
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.replace(/\.json$/, ''))
  .sort();

let server: ViteDevServer;
let open: (path: string) => Promise<NotebookPage>;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  let url: string;
  ({ server, url } = await startAppServer());
  ({ open, close: closeBrowser } = await launchNotebookBrowser(url));
});
afterAll(async () => {
  await closeBrowser?.();
  await server?.close();
});

/** What each notebook shows off, checked and photographed while it runs. */
const whileRunning: Record<string, (notebook: NotebookPage) => Promise<void>> = {
  'learning-ray-ch4': async ({ page }) => {
    // The PPO cell charts its training as it goes: photograph it once the curve has ten points.
    const chart = page.locator('[data-chart^="PPO"]');
    await page.waitForFunction(() => Number(document.querySelector('[data-chart^="PPO"]')?.getAttribute('data-points') ?? 0) >= 10, undefined, { timeout: 240_000 });
    await chart.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('notebook-live-training-curve.png') });
  },
};

const afterRun: Record<string, (notebook: NotebookPage) => Promise<void>> = {
  'learning-ray-ch1': async ({ page }) => {
    // The chapter's deployment answered a plain fetch('/serve/model?query=ray').
    const text = (await page.locator('[data-output]').allTextContents()).join('\n');
    expect(text).toMatch(/HTTP\s+200/);
    expect(text).toContain('ray is a framework that scales python programs from');
  },
  'learning-ray-ch5': async ({ page }) => {
    // HyperBand stopped trials early, the conditional space held, and the Trials panel lists the runs' trials.
    const text = (await page.locator('[data-output]').allTextContents()).join('\n');
    expect(text).toMatch(/stoppedEarly\W+[1-9]/);
    expect(text).toMatch(/everyConfigOk\W+true/);
    // A panel is drawn once it is in view.
    await page.locator('section[aria-label="Trials"]').scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator('aside[data-dashboard] tr[data-trial][data-status="TERMINATED"]').count()).toBeGreaterThanOrEqual(10);
    await page.locator('section[aria-label="Trials"]').screenshot({ path: screenshotPath('dashboard-trials-learning-ray-ch5.png') });
  },
  'learning-ray-ch8': async ({ page }) => {
    // The deployments answered handles and fetch('/serve/…'): a verdict, the chain, and 422 for the bad body.
    const text = (await page.locator('[data-output]').allTextContents()).join('\n');
    expect(text).toContain('NEGATIVE');
    expect(text).toContain('CHAINED!');
    expect(text).toMatch(/\b200\b/);
    expect(text).toMatch(/\b422\b.*\/text/s);
  },
  'learning-ray-ch3': async ({ page }) => {
    // The four simulation actors each run in a worker of their own: the timeline has a lane for each.
    expect(Number(await page.locator('.rb-timeline').getAttribute('data-lanes'))).toBeGreaterThanOrEqual(4);
    await page.locator('section[aria-label="Timeline"]').scrollIntoViewIfNeeded();
    await page.locator('aside[data-dashboard]').screenshot({ path: screenshotPath('dashboard-after-learning-ray-ch3.png') });
    await page.locator('section[aria-label="Timeline"]').screenshot({ path: screenshotPath('dashboard-timeline-learning-ray-ch3.png') });
    await page.locator('[data-chart]').last().scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('notebook-learning-ray-ch3.png') });
  },
};

describe('"Run all" on every example notebook', () => {
  it('finds the examples', () => {
    expect(notebooks).toEqual(['learning-ray-ch1', 'learning-ray-ch2', 'learning-ray-ch3', 'learning-ray-ch4', 'learning-ray-ch5', 'learning-ray-ch6', 'learning-ray-ch7', 'learning-ray-ch8']);
  });

  for (const name of notebooks) {
    it(`${name} runs from top to bottom without an error`, { timeout: 420_000 }, async () => {
      const notebook = await open(`/?notebook=${name}`);
      const watching = whileRunning[name]?.(notebook);
      const statuses = await notebook.runAll(400_000);
      await watching;
      const errors = await notebook.errorOutputs();
      expect(errors).toEqual([]);
      expect(statuses.every((status) => status === 'done')).toBe(true);
      await afterRun[name]?.(notebook);
      expect(notebook.pageErrors).toEqual([]);
      await notebook.close();
    });
  }
});
