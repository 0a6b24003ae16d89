/**
 * The dashboard's Data view, fed by a real runtime: while a dataset streams (its consumer holding
 * a batch), the view lists the execution as running with its operators and their rows; at the end
 * it shows it finished. A hidden Data panel only counts the events and draws once it shows.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { data, init, nodes, onEvent, onEventBatch, shutdown } from '../../src/index.ts';
import { Dashboard } from '../../src/ui/dashboard/dashboard.ts';

const source = { onEvent, onEventBatch, nodes };
/** Lets the events of this turn reach the dashboard (it takes them in batches, at the end of a turn). */
const endOfTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

let dashboard: Dashboard | undefined;
beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await shutdown();
});
afterEach(() => dashboard?.destroy());

const panel = () => dashboard?.element.querySelector<HTMLElement>('[data-panel="data"]');
const rowsOut = (operator: string) => panel()?.querySelector(`tr[data-operator="${operator}"] [data-rows-out]`)?.textContent;

describe('Data view', () => {
  it("shows a running dataset's operators with their rows, then the execution finished", { timeout: 60_000 }, async () => {
    dashboard = new Dashboard(source, { drawIntervalMs: 0 });
    document.body.append(dashboard.element);
    const ds = data
      .range(4000, { overrideNumBlocks: 4 })
      .mapBatches((b: Record<string, Float64Array>) => ({ id: b.id, double: b.id!.map((x) => 2 * x) }))
      .groupBy('id')
      .count()
      .map((r) => ({ id: r.id, n: r['count()'] }));
    const batches = ds.iterBatches({ batchSize: 1000 });
    // The first batch: every block went through the map and the groupBy; the consumer holds it.
    const first = await batches.next();
    expect(first.done).toBe(false);
    await endOfTurn();
    dashboard.drawNow();
    const execution = panel()?.querySelector<HTMLElement>('[data-execution]');
    expect(execution?.dataset['state']).toBe('running');
    expect(execution?.textContent).toContain(String(ds));
    const operators = [...(panel()?.querySelectorAll<HTMLElement>('tr[data-operator]') ?? [])].map((tr) => tr.dataset['operator']);
    expect(operators).toEqual(['range(4000)->mapBatches', 'groupBy(id)', 'map']);
    expect(rowsOut('range(4000)->mapBatches')).toBe('4,000');
    expect(rowsOut('groupBy(id)')).toBe('4,000');
    for (let r = await batches.next(); !r.done; r = await batches.next()) void r;
    await endOfTurn();
    dashboard.drawNow();
    expect(panel()?.querySelector<HTMLElement>('[data-execution]')?.dataset['state']).toBe('finished');
    expect(rowsOut('map')).toBe('4,000');
  });

  it('a hidden Data panel counts the events and draws nothing until it shows', { timeout: 60_000 }, async () => {
    const box = document.createElement('div');
    box.style.display = 'none';
    document.body.append(box);
    dashboard = new Dashboard(source, { drawIntervalMs: 0 });
    box.append(dashboard.element);
    expect(await data.range(300, { overrideNumBlocks: 3 }).map((r) => ({ id: r.id })).count()).toBe(300);
    await endOfTurn();
    for (let frame = 0; frame < 5; frame++) await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(dashboard.data.events).toBeGreaterThan(0);
    expect(panel()?.querySelector('[data-execution]')).toBeNull();
    box.style.display = '';
    panel()?.scrollIntoView(); // the Data panel comes last: on screen only once scrolled to
    await expect.poll(() => panel()?.querySelector<HTMLElement>('[data-execution]')?.dataset['state']).toBe('finished');
    expect(rowsOut('range(300)->map')).toBe('300');
    box.remove();
  });
});
