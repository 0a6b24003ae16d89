/**
 * Rooms from a page that imports the npm package, served by a plain static host: the joiner's
 * sandbox page and its workers must be found next to the package's module, not next to the page.
 * A head page and a joiner page (each its own browser context) meet through a local signaling
 * server, and the head runs a task and an actor on the joiner.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignalServer, type RunningSignalServer } from '../../server/signal.js';
import { chromiumArgs, chromiumPath } from '../support/chromium.ts';
import { packInto } from './pack.ts';

declare const raybox: typeof import('../../src/index.ts');

let scratch: string;
let packDir: string;
let browser: Browser;
let site: PreviewServer;
let signal: RunningSignalServer;
let siteUrl: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'raybox-package-room-'));
  const appDir = join(scratch, 'app');
  mkdirSync(appDir);
  ({ packDir } = packInto(appDir));
  const root = join(scratch, 'site');
  // The author keeps the package in a folder of their choosing, pages elsewhere in the site.
  cpSync(join(appDir, 'node_modules/raybox/dist-lib'), join(root, 'vendor/raybox'), { recursive: true });
  mkdirSync(join(root, 'lessons'));
  writeFileSync(join(root, 'lessons/room.html'), `<!doctype html><title>room</title><script type="module">\nimport * as raybox from '../vendor/raybox/raybox.js';\nwindow.raybox = raybox;\n</script>`);
  // A static host as GitHub Pages is one: files as they are, and \`Access-Control-Allow-Origin: *\`,
  // which the sandbox (an iframe of origin "null") needs to load its module.
  site = await preview({ configFile: false, root, logLevel: 'silent', build: { outDir: root }, preview: { host: '127.0.0.1', port: 0, strictPort: false, cors: { origin: '*' } } });
  const address = site.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('the static server has no port');
  signal = await startSignalServer({ port: 0 });
  siteUrl = `http://127.0.0.1:${address.port}/lessons/room.html?signal=127.0.0.1:${signal.port}${signal.path}`;
  browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: chromiumArgs() });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await signal?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

async function openPage(): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(siteUrl);
  await page.waitForFunction(() => typeof (window as { raybox?: unknown }).raybox === 'object');
  return page;
}

describe('a room between two pages that import the npm package', () => {
  it('runs a task and an actor on the joiner', async () => {
    const head = await openPage();
    const joiner = await openPage();
    const { roomId } = await head.evaluate(async () => {
      await raybox.init({ numWorkers: 1 });
      return raybox.openRoom({ passphrase: 'lesson-7' });
    });
    await joiner.evaluate((id) => raybox.joinRoom(id, { numWorkers: 1, passphrase: 'lesson-7' }), roomId);
    const ran = await head.evaluate(async () => {
      let peer: string | undefined;
      for (let i = 0; i < 300 && !peer; i++) {
        peer = raybox.nodes().find((node) => node.alive && !node.isLocal)?.nodeId;
        if (!peer) await new Promise((r) => setTimeout(r, 100));
      }
      if (!peer) throw new Error('the joiner never appeared as a node');
      const on = { schedulingStrategy: { nodeId: peer, soft: false } };
      const where = raybox.remote((x: number) => ({ square: x * x, nodeId: raybox.getRuntimeContext().nodeId }));
      class Counter {
        n = 0;
        add(k: number) {
          this.n += k;
          return { n: this.n, nodeId: raybox.getRuntimeContext().nodeId };
        }
      }
      const counter = raybox.remote(Counter, on).remote();
      await raybox.get(counter.add.remote(2), { timeout: 60 });
      const [task, actor] = await raybox.get([where.options(on).remote(7), counter.add.remote(5)], { timeout: 60 });
      return { peer, task, actor };
    });
    expect(ran.task).toEqual({ square: 49, nodeId: ran.peer });
    expect(ran.actor).toEqual({ n: 7, nodeId: ran.peer });
  }, 180_000);
});
