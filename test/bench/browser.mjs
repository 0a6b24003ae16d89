/**
 * The benchmark's machinery on the Node side: a Vite dev server for the project (its own
 * vite.config.ts) and a headless Chromium, both started here and closed by `close()`.
 *
 * The dev server neither watches files nor serves hot reload: other people edit the tree while a
 * benchmark runs, and a reload would kill the page mid-measurement. Its dependency cache is its
 * own folder, so it never rewrites the cache of a test run going on beside it.
 */
import { createServer as createNetServer } from 'node:net';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer } from 'vite';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../support/chromium-flags.js';

/** The tests' flags, plus precise heap figures for the million-task run. */
const CHROMIUM_ARGS = [
  ...CHROMIUM_FLAGS,
  // Without it performance.memory is rounded and refreshed only now and then.
  '--enable-precise-memory-info',
];

/** Every bare import of the pages and their workers, bundled up front: a dependency found later
 * makes Vite re-optimise and reload the page, which would end a benchmark in flight. */
const DEPENDENCIES = ['comlink', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', 'peerjs'];

/** The app pages' entries, scanned with the bench pages so their dependencies are bundled up front too. */
const ENTRIES = ['test/bench/*.html', 'index.html', 'embed.html'];

/** @returns {Promise<number>} a port free on 127.0.0.1 right now */
function freePort() {
  return new Promise((done, fail) => {
    const probe = createNetServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

/**
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T>}
 * @template T
 */
export function withTimeout(promise, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Starts the dev server and Chromium. */
export async function startBench(root = process.cwd()) {
  const executablePath = process.env['CHROME_PATH'] ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}; set CHROME_PATH.`);
  const port = await freePort();
  const server = await createServer({
    configFile: resolve(root, 'vite.config.ts'),
    root,
    cacheDir: resolve(root, 'node_modules/.vite-bench'),
    logLevel: 'warn',
    clearScreen: false,
    server: { host: '127.0.0.1', port, strictPort: true, hmr: false, watch: null },
    optimizeDeps: { include: DEPENDENCIES, entries: ENTRIES },
  });
  await server.listen();
  const origin = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });

  return {
    origin,
    chromiumVersion: browser.version(),

    /**
     * Opens `path` in a fresh context, waits for `readySelector` (`body[data-ready]` by default;
     * an app page has its own sign), and returns the page. Page errors and console errors go to stderr.
     * @param {string} path
     * @param {{ readySelector?: string, viewport?: { width: number, height: number } }} [options]
     */
    async open(path, options = {}) {
      const context = await browser.newContext(options.viewport ? { viewport: options.viewport } : {});
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`  [page error] ${error.message}`));
      page.on('console', (message) => {
        // A failed load is reported by the response handler below, with its address.
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
          console.error(`  [page console] ${message.text()}`);
        }
      });
      page.on('response', (response) => {
        if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) {
          console.error(`  [page] HTTP ${response.status()} for ${response.url()}`);
        }
      });
      await page.goto(origin + path, { waitUntil: 'load', timeout: 60_000 });
      await page.waitForSelector(options.readySelector ?? 'body[data-ready]', { state: 'attached', timeout: 60_000 });
      return page;
    },

    async close() {
      await browser.close().catch(() => {});
      await server.close().catch(() => {});
    },
  };
}
