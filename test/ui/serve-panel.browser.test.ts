/**
 * The dashboard's Serve panel, fed by the runtime's event bus: a running deployment with its
 * replicas, where they run and its request count; and, hidden, it only counts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RayboxEvent } from '../../src/core/events.ts';
import { init, nodes, onEvent, onEventBatch, serve, shutdown } from '../../src/index.ts';
import { Dashboard } from '../../src/ui/dashboard/dashboard.ts';

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await serve.shutdown();
  await shutdown();
});

let dashboard: Dashboard | undefined;
afterEach(() => dashboard?.destroy());

const texts = (row: Element | null | undefined) => [...(row?.querySelectorAll('td') ?? [])].map((td) => td.textContent);

describe('Serve panel', () => {
  it('shows a deployment, its replicas and where they run, and their requests', { timeout: 60_000 }, async () => {
    dashboard = new Dashboard({ onEvent, onEventBatch, nodes }, { drawIntervalMs: 0 });
    document.body.append(dashboard.element);
    const panel = dashboard.element.querySelector('section[aria-label="Serve"]');
    // The panel is drawn while it is in view.
    panel?.scrollIntoView();
    expect(panel?.querySelector('[data-serve-empty]')?.textContent).toMatch(/No applications/);

    const Echo = serve.deployment((text: string) => text, { name: 'Echo', numReplicas: 2 });
    const echo = await serve.run(Echo.bind(), { http: false, name: 'shop' });
    await Promise.all(Array.from({ length: 6 }, (_, i) => echo.remote(`hi ${i}`)));

    const row = () => panel?.querySelector('[data-serve-deployment="shop/Echo"]');
    await expect.poll(() => row()?.querySelector('[data-serve-requests]')?.textContent).toBe('6');
    const cells = texts(row());
    expect(cells.slice(0, 8)).toEqual(['shop', 'Echo', 'RUNNING', '2', '0', '0', '6', '0']);
    expect(cells[9]).toMatch(/ms$/);

    const local = nodes().find((n) => n.isLocal)?.nodeId;
    const replicas = () => [...(panel?.querySelectorAll('[data-serve-replica]') ?? [])].map(texts);
    await expect.poll(() => replicas().map((r) => r[3])).toEqual(['ALIVE', 'ALIVE']);
    expect(replicas().map((r) => [r[1], r[2], r[4]])).toEqual([
      ['shop/Echo', 'RUNNING', local],
      ['shop/Echo', 'RUNNING', local],
    ]);

    await serve.delete('shop');
    await expect.poll(() => texts(row())[2]).toBe('DELETING');
    await expect.poll(() => replicas().map((r) => r[2])).toEqual(['STOPPED', 'STOPPED']);
  });

  it("shows the sizes of the batches a batching deployment's replicas ran", { timeout: 60_000 }, async () => {
    dashboard = new Dashboard({ onEvent, onEventBatch, nodes }, { drawIntervalMs: 0 });
    document.body.append(dashboard.element);
    const panel = dashboard.element.querySelector('section[aria-label="Serve"]');
    panel?.scrollIntoView();
    // Eight requests at once into batches of at most 4, with a wait long enough to fill them.
    const Doubler = serve.deployment(serve.batch(async (xs: number[]) => xs.map((x) => x * 2), { maxBatchSize: 4, batchWaitTimeoutS: 5 }), { name: 'Doubler' });
    const doubler = await serve.run(Doubler.bind(), { http: false, name: 'batches' });
    expect(await Promise.all(Array.from({ length: 8 }, (_, i) => doubler.remote(i)))).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
    const cell = () => panel?.querySelector('[data-serve-deployment="batches/Doubler"] [data-serve-batches]');
    await expect.poll(() => cell()?.textContent, { timeout: 20_000 }).toBe('4.0 (max 4)');
    expect(cell()?.getAttribute('title')).toBe('2 batches, the largest 4');
    await serve.delete('batches');
  });

  it('folds requests while hidden and draws nothing until it shows', async () => {
    const listeners = new Set<(event: RayboxEvent) => void>();
    const source = { onEvent: (l: (event: RayboxEvent) => void) => (listeners.add(l), () => listeners.delete(l)), nodes: () => [] };
    const box = document.createElement('div');
    box.style.display = 'none';
    document.body.append(box);
    dashboard = new Dashboard(source, { drawIntervalMs: 0 });
    box.append(dashboard.element);
    const where = { type: 'serve' as const, app: 'a', deployment: 'D' };
    const emit = (event: RayboxEvent) => listeners.forEach((l) => l(event));
    emit({ ...where, time: 0, kind: 'deployment', status: 'RUNNING', routePrefix: '/' });
    emit({ ...where, time: 0, kind: 'replica', replicaId: 'D#0', actorId: 'actor-x', state: 'RUNNING' });
    for (let i = 0; i < 1000; i++) emit({ ...where, time: i, kind: 'request', replicaId: 'D#0', latencyMs: i % 10, ok: i % 100 !== 0, queued: 0, ongoing: 0 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (let frame = 0; frame < 5; frame++) await new Promise((resolve) => requestAnimationFrame(resolve));
    const stats = dashboard.serve.store.deployments.get('a/D');
    expect([stats?.requests, stats?.errors, stats?.percentile(50)]).toEqual([1000, 10, 5]);
    const row = () => dashboard?.element.querySelector('[data-serve-deployment="a/D"]');
    expect(row()).toBeNull();
    box.style.display = '';
    dashboard.element.querySelector('section[aria-label="Serve"]')?.scrollIntoView();
    await expect.poll(() => row()?.querySelector('[data-serve-requests]')?.textContent).toBe('1000');
    box.remove();
  });
});
