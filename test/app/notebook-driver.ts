import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { chromiumArgs, chromiumPath } from '../support/chromium.ts';
import { startAppServer } from '../support/page-harness.ts';

/** Where the tests keep their screenshots (test-results/ is ignored by git, kept by CI as artifacts). */
export const screenshotDir = join(import.meta.dirname, '../../test-results/screenshots');

export function screenshotPath(name: string): string {
  mkdirSync(screenshotDir, { recursive: true });
  return join(screenshotDir, name);
}

/** Headless Chromium; each `open` gets a context of its own, so no test sees another's autosave. */
export async function launchNotebookBrowser(baseUrl: string): Promise<{ open: (path: string) => Promise<NotebookPage>; close: () => Promise<void> }> {
  const browser: Browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: chromiumArgs() });
  return {
    open: async (path: string) => {
      const context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
      const page = await context.newPage();
      const notebook = new NotebookPage(page);
      await page.goto(baseUrl + path);
      await page.locator('[data-cell]').first().waitFor();
      return notebook;
    },
    close: () => browser.close(),
  };
}

/** A notebook page as a person drives it: buttons by their accessible names, cells by `data-cell`. */
export class NotebookPage {
  readonly page: Page;
  readonly pageErrors: string[] = [];

  constructor(page: Page) {
    this.page = page;
    page.on('pageerror', (error) => this.pageErrors.push(String(error)));
  }

  get cells(): Locator {
    return this.page.locator('[data-cell]');
  }

  get codeCells(): Locator {
    return this.page.locator('[data-cell][data-type="code"]');
  }

  button(name: string): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  /** Adds a code cell below the selected one and types `code` into it; returns the cell. */
  async addCodeCell(code: string): Promise<Locator> {
    await this.button('Add code cell').click();
    const cell = this.page.locator('[data-cell].rb-selected');
    await cell.locator('.cm-content').waitFor();
    const id = await cell.getAttribute('data-cell');
    const stable = this.page.locator(`[data-cell="${id}"]`);
    await this.setSource(stable, code);
    return stable;
  }

  /** Replaces a cell's source through its editor (inserted as typed text, without auto-closing brackets). */
  async setSource(cell: Locator, code: string): Promise<void> {
    await cell.locator('.cm-content').click();
    await this.page.keyboard.press('ControlOrMeta+a');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.insertText(code);
  }

  /** Clicks the cell's "Run" and waits until it is no longer queued or running. */
  async run(cell: Locator, timeout = 30_000): Promise<string> {
    await cell.getByRole('button', { name: 'Run', exact: true }).click();
    return this.settled(cell, timeout);
  }

  async settled(cell: Locator, timeout = 30_000): Promise<string> {
    await this.page.waitForFunction(
      (element) => element !== null && !['queued', 'running'].includes((element as HTMLElement).dataset['status'] ?? ''),
      await cell.elementHandle(),
      { timeout },
    );
    return (await cell.getAttribute('data-status')) ?? '';
  }

  output(cell: Locator): Locator {
    return cell.locator('[data-output]');
  }

  /** The dashboard's count of tasks in `state`. */
  async taskCount(state: string): Promise<number> {
    return Number(await this.page.locator(`dd[data-state="${state}"]`).textContent());
  }

  /** Clicks "Run all" and waits until every code cell has run, or one has failed. */
  async runAll(timeout: number): Promise<string[]> {
    await this.button('Run all').click();
    await this.page.waitForFunction(
      () => {
        const statuses = [...document.querySelectorAll<HTMLElement>('[data-cell][data-type="code"]')].map((cell) => cell.dataset['status']);
        return statuses.includes('failed') || statuses.includes('interrupted') || statuses.every((status) => status === 'done');
      },
      undefined,
      { timeout, polling: 250 },
    );
    return this.codeCells.evaluateAll((cells) => cells.map((cell) => (cell as HTMLElement).dataset['status'] ?? ''));
  }

  /** Text of every error a cell shows as its outcome (thrown errors and syntax errors). */
  errorOutputs(): Promise<string[]> {
    return this.page.locator('[data-output] [data-kind="error"], [data-output] [data-kind="syntax-error"]').allTextContents();
  }

  async close(): Promise<void> {
    await this.page.context().close();
  }
}

/**
 * For a test file of notebook pages: starts the app's dev server and a browser before its tests
 * and closes both after them. Returns `open`, which loads a path of the app as a NotebookPage.
 */
export function useNotebookPages(): (path: string) => Promise<NotebookPage> {
  let server: ViteDevServer | undefined;
  let browser: Awaited<ReturnType<typeof launchNotebookBrowser>> | undefined;
  beforeAll(async () => {
    const started = await startAppServer();
    server = started.server;
    browser = await launchNotebookBrowser(started.url);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return (path) => {
    if (!browser) throw new Error('useNotebookPages: open() was called before the browser started (call it inside a test).');
    return browser.open(path);
  };
}
