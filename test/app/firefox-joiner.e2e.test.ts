/**
 * A joiner in another browser: Firefox joins a room opened in Chromium. Firefox cannot hand a
 * DataChannel to a worker, so its sandbox page passes each worker's tasks and results on; the
 * room must work the same, with the same isolation of the room's code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser as Firefox, Page as FirefoxPage } from 'puppeteer-core';
import type { Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { launchFirefox } from '../support/firefox.ts';
import { launchBrowserForPages, startAppServer } from '../support/page-harness.ts';

declare const raybox: typeof import('../../src/index.ts');
declare const tf: typeof import('@tensorflow/tfjs');

let server: ViteDevServer;
let chromium: Awaited<ReturnType<typeof launchBrowserForPages>>;
let firefox: Firefox;
let head: Page;
let joiner: FirefoxPage;
let joinerNode: string;

beforeAll(async () => {
  const started = await startAppServer();
  server = started.server;
  const url = `${started.url}/test/net/fixtures/room-page.html`;
  chromium = await launchBrowserForPages();
  firefox = await launchFirefox();
  head = await chromium.newPage(url);
  const { roomId } = await head.evaluate(async () => {
    await raybox.init({ numWorkers: 1 });
    return raybox.openRoom();
  });
  joiner = await firefox.newPage();
  joiner.on('pageerror', (error) => {
    // The isolation test's blocked fetch is reported here too: that one is expected.
    if (!String(error).includes('Content-Security-Policy')) console.error(`firefox page error: ${String(error)}`);
  });
  await joiner.goto(url);
  await joiner.waitForFunction(() => 'raybox' in window, { timeout: 30_000 });
  await joiner.evaluate((id) => raybox.joinRoom(id, { numWorkers: 2 }), roomId);
  joinerNode = await head.evaluate(async () => {
    for (let i = 0; i < 100; i++) {
      const peer = raybox.nodes().find((n) => !n.isLocal && n.alive);
      if (peer) return peer.nodeId;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the Firefox joiner did not become a node');
  });
}, 90_000);

afterAll(async () => {
  await firefox?.close();
  await chromium?.close();
  await server?.close();
});

describe('a Firefox joiner in a Chromium head’s room', () => {
  it('runs tasks, moves a 16 MiB Float32Array both ways, and keeps a large result for a later task', async () => {
    const out = await head.evaluate(async (nodeId) => {
      const on = { schedulingStrategy: { nodeId, soft: false } } as const;
      const where = raybox.remote(() => ({ where: raybox.getRuntimeContext().nodeId, browser: navigator.userAgent })).options(on);
      const first = await raybox.get(where.remote(), { timeout: 30 });
      const big = new Float32Array(4 * 2 ** 20).map((_, i) => (i % 1009) / 7);
      const echo = raybox.remote((a: Float32Array) => a).options(on);
      const back = await raybox.get(echo.remote(raybox.put(big)), { timeout: 60 });
      let same = back instanceof Float32Array && back.length === big.length;
      for (let i = 0; same && i < big.length; i++) same = back[i] === big[i];
      const make = raybox.remote((n: number) => new Float64Array(n).fill(7)).options(on);
      const kept = make.remote(256 * 1024); // 2 MiB: stays on the joiner
      const sum = raybox.remote((a: Float64Array) => a.length + (a[0] as number)).options(on);
      const viaHeld = await raybox.get(sum.remote(kept), { timeout: 30 });
      const fetched = (await raybox.get(kept, { timeout: 30 })).length;
      return { ...first, same, viaHeld, fetched };
    }, joinerNode);
    expect(out.where).toBe(joinerNode);
    expect(out.browser).toMatch(/Firefox/);
    expect(out).toMatchObject({ same: true, viaHeld: 262151, fetched: 262144 });
  });

  it('runs TensorFlow.js there, and keeps the room code from the network, storage and page', async () => {
    const out = await head.evaluate(async (nodeId) => {
      const probe = raybox.remote(async () => {
        const attempt = async (f: () => unknown) => {
          try {
            await f();
            return 'allowed';
          } catch (error) {
            return (error as Error).name;
          }
        };
        return {
          sum: tf.tensor([1, 2, 3.5]).sum().arraySync(),
          fetchOtherHost: await attempt(() => fetch('http://127.0.0.2:9/')),
          indexedDB: await attempt(() => indexedDB.open('stolen')),
          cookie: await attempt(() => (globalThis as unknown as { document: Document }).document.cookie),
          parent: await attempt(() => (globalThis as unknown as { parent: Window }).parent.document.title),
        };
      });
      return raybox.get(probe.options({ schedulingStrategy: { nodeId, soft: false } }).remote(), { timeout: 60 });
    }, joinerNode);
    expect(out).toEqual({ sum: 6.5, fetchOtherHost: 'TypeError', indexedDB: 'SecurityError', cookie: 'TypeError', parent: 'TypeError' });
  });

  // How soon a silent joiner counts as gone is the Heartbeat's (heartbeat.test.ts, fake clock).
  it('sees the Firefox joiner gone once its page closes', async () => {
    expect(await head.evaluate((nodeId) => raybox.nodes().some((n) => n.nodeId === nodeId && n.alive), joinerNode)).toBe(true);
    await joiner.close();
    await head.waitForFunction((nodeId) => !raybox.nodes().some((n) => n.nodeId === nodeId && n.alive), joinerNode, { timeout: 30_000, polling: 50 });
    expect(await head.evaluate(() => raybox.nodes().filter((n) => !n.isLocal && n.alive).length)).toBe(0);
  });
});
