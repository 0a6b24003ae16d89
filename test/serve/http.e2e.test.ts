/**
 * Real HTTP through the Service Worker: one tab runs an application; a second tab of the same
 * origin and an iframe in it get answers with plain `fetch('/serve/…')`. Bad bodies get 422,
 * unknown routes 404 (listing the routes), a throwing handler 500, and no host 503.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
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

type Answer = { status: number; body: unknown };

async function fetchIn(page: Page, path: string, init?: { method: string; body: string }): Promise<Answer> {
  return page.evaluate(
    async ({ path, init }) => {
      const response = await fetch(path, init ? { ...init, headers: { 'content-type': 'application/json' } } : undefined);
      return { status: response.status, body: (await response.json()) as unknown };
    },
    { path, init },
  );
}

describe('serve over HTTP', () => {
  it('answers fetch from another tab and an iframe of the origin, with 422/404/500 for bad requests', { timeout: 180_000 }, async () => {
    const host = await context.newPage();
    host.on('pageerror', (e) => console.error(String(e)));
    await host.goto(url);
    await host.locator('[data-nodes] tr').first().waitFor();
    await host.evaluate(async () => {
      const { serve } = window.raybox;
      const router = serve.router();
      router.get('/items/:id', (req) => ({ id: req.params.id, q: req.query.q ?? null }));
      router.post('/items', (req) => ({ created: (req.json() as { name: string }).name }), {
        body: { type: 'object', properties: { name: { type: 'string' }, count: { type: 'integer' } }, required: ['name'] },
      });
      router.get('/boom', () => {
        throw new Error('the handler broke');
      });
      await serve.run(serve.deployment(serve.ingress(router), { name: 'Api' }).bind(), { name: 'api', routePrefix: '/api' });
    });

    const other = await context.newPage();
    await other.goto(url);
    await other.waitForFunction(() => navigator.serviceWorker.controller !== null);
    expect(await fetchIn(other, '/serve/api/items/42?q=tea')).toEqual({ status: 200, body: { id: '42', q: 'tea' } });
    expect(await fetchIn(other, '/serve/api/items', { method: 'POST', body: JSON.stringify({ name: 'cup' }) })).toEqual({ status: 200, body: { created: 'cup' } });

    const bad = await fetchIn(other, '/serve/api/items', { method: 'POST', body: JSON.stringify({ count: 'many' }) });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('/name');
    expect(JSON.stringify(bad.body)).toContain('/count');

    const missing = await fetchIn(other, '/serve/api/nothing');
    expect(missing.status).toBe(404);
    expect((missing.body as { routes: string[] }).routes).toEqual(['GET /serve/api/items/:id', 'POST /serve/api/items', 'GET /serve/api/boom']);

    const boom = await fetchIn(other, '/serve/api/boom');
    expect(boom).toEqual({ status: 500, body: { error: 'the handler broke' } });

    // An iframe of the origin, inside the second tab.
    const fromFrame = await other.evaluate(async () => {
      const frame = document.createElement('iframe');
      frame.src = '/notebooks/learning-ray-ch1.json';
      const loaded = new Promise((resolve) => frame.addEventListener('load', resolve));
      document.body.append(frame);
      await loaded;
      const response = await (frame.contentWindow as Window).fetch('/serve/api/items/7');
      return { status: response.status, body: (await response.json()) as unknown };
    });
    expect(fromFrame).toEqual({ status: 200, body: { id: '7', q: null } });

    // Requests the worker does not answer are left alone: the app's own files still load.
    expect(await other.evaluate(async () => (await fetch('/notebooks/learning-ray-ch1.json')).status)).toBe(200);
    expect(await other.evaluate(() => self.crossOriginIsolated)).toBe(true);

    // With the host gone, the worker says so.
    await host.close();
    const gone = await fetchIn(other, '/serve/api/items/1');
    expect(gone.status).toBe(503);
    expect(JSON.stringify(gone.body)).toMatch(/No page hosts/);
  });
});
