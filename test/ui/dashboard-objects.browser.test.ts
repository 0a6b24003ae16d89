/**
 * The dashboard's Objects panel, fed by a real runtime: it reads the object store's totals as it
 * draws, so while only the dashboard listens the page builds no object events at all.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { get, init, nodes, objectStoreStats, onEvent, onEventBatch, put, remote, shutdown } from '../../src/index.ts';
import { driver } from '../../src/runtime/session.ts';
import { Dashboard } from '../../src/ui/dashboard/dashboard.ts';

let dashboard: Dashboard | undefined;
beforeAll(async () => {
  await init({ numWorkers: 1 });
});
afterAll(async () => {
  await shutdown();
});
afterEach(() => dashboard?.destroy());

const objectsText = () => dashboard?.element.querySelector('[data-objects]')?.textContent;

describe('Objects panel', () => {
  it("shows the store's totals without object events, which nobody builds while only it listens", async () => {
    dashboard = new Dashboard({ onEvent, onEventBatch, nodes, objectStoreStats }, { drawIntervalMs: 0 });
    document.body.append(dashboard.element);
    expect(driver().events.wants('task')).toBe(true);
    expect(driver().events.wants('object')).toBe(false);

    const big = put(new Float64Array(2 ** 17)); // 1 MiB
    const double = remote((x: number) => 2 * x);
    expect(await get(double.remote(21))).toBe(42);
    dashboard.drawNow();
    const { count, bytes } = objectStoreStats();
    expect(bytes).toBeGreaterThanOrEqual(2 ** 20);
    expect(objectsText()).toBe(`${count} objects, ${(bytes / 2 ** 20).toFixed(1)} MiB`);
    expect(await get(big)).toHaveLength(2 ** 17);

    // Someone who wants every event gets object events again.
    const seen: string[] = [];
    const stop = onEvent((e) => e.type === 'object' && seen.push(e.change));
    expect(driver().events.wants('object')).toBe(true);
    put(1);
    stop();
    expect(seen).toEqual(['created']);
  });

  it('folds object events from a source that cannot tell the totals', async () => {
    dashboard = new Dashboard({ onEvent, onEventBatch, nodes }, { drawIntervalMs: 0 });
    expect(driver().events.wants('object')).toBe(true);
    put(new Float64Array(8));
    await new Promise((resolve) => setTimeout(resolve, 0));
    dashboard.drawNow();
    expect(objectsText()).toMatch(/^[1-9]\d* objects/);
  });
});
