/**
 * The production build, as a static host would serve it (here Vite's preview server, which also
 * runs signaling): a room works end to end, and a joiner's sandboxed workers load the built worker
 * bundle and TensorFlow.js's wasm files from the app itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, preview, type PreviewServer } from 'vite';
import { launchBrowserForPages } from '../support/page-harness.ts';

declare const raybox: typeof import('../../src/index.ts');

const configFile = join(import.meta.dirname, '../../vite.config.ts');
let outDir: string;
let server: PreviewServer;
let url: string;
let browser: Awaited<ReturnType<typeof launchBrowserForPages>>;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'raybox-dist-'));
  await build({ configFile, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  server = await preview({ configFile, logLevel: 'silent', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('the preview server has no port');
  url = `http://127.0.0.1:${address.port}`;
  browser = await launchBrowserForPages();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('the built app', () => {
  it('runs a room: a joiner opened from the build runs tasks, TensorFlow.js included, in its sandbox', async () => {
    const head = await browser.newPage(`${url}/`);
    const joiner = await browser.newPage(`${url}/`);
    const { roomId } = await head.evaluate(async () => {
      await raybox.init({ numWorkers: 1 });
      return raybox.openRoom();
    });
    await joiner.evaluate((id) => raybox.joinRoom(id, { numWorkers: 1 }), roomId);
    const out = await head.evaluate(async () => {
      let peer: string | undefined;
      for (let i = 0; i < 100 && !peer; i++) {
        peer = raybox.nodes().find((n) => !n.isLocal && n.alive)?.nodeId;
        if (!peer) await new Promise((r) => setTimeout(r, 100));
      }
      if (!peer) throw new Error('the joiner did not become a node');
      const sum = raybox.remote((xs: number[]) => ({
        sum: (tf.tensor(xs).sum().arraySync() as number) + 0,
        backend: tf.getBackend(),
        where: raybox.getRuntimeContext().nodeId,
      }));
      const result = await raybox.get(sum.options({ schedulingStrategy: { nodeId: peer, soft: false } }).remote([1, 2, 3.5]), { timeout: 60 });
      return { ...result, peer };
    });
    expect(out.where).toBe(out.peer);
    expect(out.sum).toBe(6.5);
    expect(out.backend).toBe('wasm');
  });
});

declare const tf: typeof import('@tensorflow/tfjs');
