/**
 * Each Serve request's path on the dashboard: the route or method it came by, the replica that
 * ran it and the batch it joined, in the Serve panel's request list and on the timeline, where
 * the replica call's bar is labelled with it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { init, nodes, onEvent, onEventBatch, serve, shutdown } from '../../src/index.ts';
import { Dashboard } from '../../src/ui/dashboard/dashboard.ts';
import { ServeController } from '../../src/serve/controller.ts';
import { dispatchHttp } from '../../src/serve/http-dispatch.ts';

/** The worker's global, which a class deployment's fields use. */
declare const raybox: typeof import('../../src/index.ts');

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await serve.shutdown();
  await shutdown();
});

let dashboard: Dashboard | undefined;
afterEach(() => dashboard?.destroy());

const texts = (row: Element) => [...row.querySelectorAll('td')].map((td) => td.textContent ?? '');

describe('a request’s path', () => {
  it('shows route → replica → batch for each call of a batched deployment, in the panel and on the timeline', { timeout: 90_000 }, async () => {
    dashboard = new Dashboard({ onEvent, onEventBatch, nodes }, { drawIntervalMs: 0 });
    document.body.append(dashboard.element);
    const panel = dashboard.element.querySelector('section[aria-label="Serve"]')!;
    panel.scrollIntoView();
    // Four calls at once into one batch of four: the wait is long enough for all to join it.
    const Doubler = serve.deployment(serve.batch(async (xs: number[]) => xs.map((x) => x * 2), { maxBatchSize: 4, batchWaitTimeoutS: 5 }), { name: 'Doubler' });
    const doubler = await serve.run(Doubler.bind(), { http: false, name: 'paths' });
    expect(await Promise.all([1, 2, 3, 4].map((x) => doubler.remote(x)))).toEqual([2, 4, 6, 8]);

    const rows = () => [...panel.querySelectorAll('[data-serve-request]')];
    // The batch comes from the replica (read while the dashboard listens), after the answers.
    await expect.poll(() => rows().map((r) => r.querySelector('[data-serve-batch]')?.textContent), { timeout: 20_000 }).toEqual(['1 (4)', '1 (4)', '1 (4)', '1 (4)']);
    const replica = panel.querySelector('[data-serve-replica]')!.getAttribute('data-serve-replica')!;
    expect(replica).toMatch(/^Doubler#\d+$/);
    for (const row of rows()) {
      const [request, deployment, route, onReplica, batch, , taskId] = texts(row);
      expect([deployment, route, onReplica, batch]).toEqual(['paths/Doubler', '__call__', replica, '1 (4)']);
      const path = `__call__ → ${replica} → batch 1 (4 requests)`;
      expect(row.getAttribute('title')).toBe(path);
      // On the timeline: the replica call ran as this task, and its bar carries the path.
      expect(dashboard.timeline.spans.some((s) => s.taskId === taskId)).toBe(true);
      expect(dashboard.timeline.noteOf(taskId!)).toBe(path);
      expect(Number(request)).toBeGreaterThan(0);
    }

    // The most recent request is shown above the list until another is clicked.
    const selected = () => panel.querySelector('[data-serve-selected-path]')?.textContent;
    const [newest, , , oldest] = rows();
    expect(selected()).toBe(`Request ${newest!.getAttribute('data-serve-request')}: __call__ → ${replica} → batch 1 (4 requests)`);
    (oldest!.querySelector('td') as HTMLElement).click();
    expect(selected()).toMatch(new RegExp(`^Request ${oldest!.getAttribute('data-serve-request')}: `));

    // A method of a class deployment is its route; a call alone in its batch (timeout flush) says so.
    class Greeter {
      greet = raybox.serve.batch(async (names: string[]) => names.map((n) => `hi ${n}`), { maxBatchSize: 8, batchWaitTimeoutS: 0.01 });
    }
    const greeter = await serve.run(serve.deployment(Greeter, { name: 'Greeter' }).bind(), { http: false, name: 'greet' });
    expect(await greeter.greet.remote('ada')).toBe('hi ada');
    await expect.poll(() => rows()[0]?.querySelector('[data-serve-batch]')?.textContent, { timeout: 20_000 }).toBe('1 (1)');
    expect(texts(rows()[0]!).slice(1, 3)).toEqual(['greet/Greeter', 'greet']);
    await serve.delete('paths');
    await serve.delete('greet');
  });

  it('shows the HTTP route an ingress request came by, the replica and the batch', { timeout: 90_000 }, async () => {
    dashboard = new Dashboard({ onEvent, onEventBatch, nodes }, { drawIntervalMs: 0 });
    document.body.append(dashboard.element);
    const panel = dashboard.element.querySelector('section[aria-label="Serve"]')!;
    panel.scrollIntoView();
    // HTTP requests as the Service Worker hands them to the page (no Service Worker needed here).
    const controller = new ServeController();
    try {
      const Twice = serve.deployment(serve.batch(async (requests: { query: Record<string, string> }[]) => requests.map((r) => Number(r.query['x']) * 2), { maxBatchSize: 3, batchWaitTimeoutS: 5 }), { name: 'Twice' });
      await controller.run(Twice.bind(), { http: false, name: 'web', routePrefix: '/web' });
      const answers = await Promise.all([1, 2, 3].map((x) => dispatchHttp(controller.apps.values(), { method: 'GET', url: `http://h/serve/web/twice?x=${x}`, headers: {}, body: '' })));
      expect(answers.map((a) => [a.status, a.body])).toEqual([[200, '2'], [200, '4'], [200, '6']]);
      const rows = () => [...panel.querySelectorAll('[data-serve-request]')].filter((r) => texts(r)[1] === 'web/Twice');
      await expect.poll(() => rows().map((r) => r.querySelector('[data-serve-batch]')?.textContent), { timeout: 20_000 }).toEqual(['1 (3)', '1 (3)', '1 (3)']);
      const replica = panel.querySelector('[data-serve-replica]')!.getAttribute('data-serve-replica')!;
      for (const row of rows()) {
        expect(row.getAttribute('title')).toBe(`GET /twice → ${replica} → batch 1 (3 requests)`);
        expect(dashboard.timeline.noteOf(texts(row)[6]!)).toBe(row.getAttribute('title'));
      }
    } finally {
      await controller.shutdown();
    }
  });
});
