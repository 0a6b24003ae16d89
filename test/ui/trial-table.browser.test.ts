/**
 * The dashboard's Trials panel: it lists the trials of a real Tune run (status, config, last
 * metrics, iterations, node) from the tuner's events, and a hidden panel only counts them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RayboxEvent, TrialStateEvent } from '../../src/core/events.ts';
import { init, nodes, onEvent, onEventBatch, shutdown, tune } from '../../src/index.ts';
import { Dashboard } from '../../src/ui/dashboard/dashboard.ts';

let dashboard: Dashboard | undefined;
beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterEach(() => dashboard?.destroy());
afterAll(async () => {
  await shutdown();
});

const rowsOf = (d: Dashboard) =>
  [...d.element.querySelectorAll<HTMLTableRowElement>('tr[data-trial]')].map((row) => [...row.cells].map((cell) => cell.textContent ?? ''));

describe('Trials panel', () => {
  it('shows the trials of a run, updated from the tuner’s events as they report', { timeout: 60_000 }, async () => {
    dashboard = new Dashboard({ onEvent, onEventBatch, nodes }, { drawIntervalMs: 0 });
    document.body.append(dashboard.element);
    const seen: TrialStateEvent[] = [];
    const stop = onEvent((event) => {
      if (event.type === 'trial') seen.push(event);
    });
    const trainable = async (config: Record<string, unknown>) => {
      for (let i = 1; i <= 3; i++) await tune.report({ loss: (config.lr as number) * 10 - i });
    };
    await new tune.Tuner(trainable, {
      paramSpace: { lr: tune.gridSearch([0.1, 0.2, 0.3]) },
      tuneConfig: { metric: 'loss', mode: 'min', maxConcurrentTrials: 2 },
      runConfig: { name: 'panel-test' },
    }).fit();
    stop();
    // Each trial went PENDING → RUNNING → a result per iteration → TERMINATED, all on the bus.
    const first = seen.filter((e) => e.trialId === 'panel-test_00000');
    expect(first.map((e) => `${e.status}:${e.iteration}`)).toEqual(['PENDING:0', 'RUNNING:0', 'RUNNING:1', 'RUNNING:2', 'RUNNING:3', 'TERMINATED:3']);
    expect(first[2]?.metrics).toEqual({ loss: 0, timeTotalS: expect.any(Number) });
    await new Promise((resolve) => setTimeout(resolve, 0));
    dashboard.drawNow();
    const rows = rowsOf(dashboard);
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['panel-test_00000', 'TERMINATED', 'lr=0.1000'],
      ['panel-test_00001', 'TERMINATED', 'lr=0.2000'],
      ['panel-test_00002', 'TERMINATED', 'lr=0.3000'],
    ]);
    expect(rows.map((r) => r[4])).toEqual(['3', '3', '3']);
    expect(rows.map((r) => r[3]?.split(',')[0])).toEqual(['loss=-2', 'loss=-1', 'loss=0']);
    expect(rows.every((r) => r[5] !== '—' && r[5] !== '')).toBe(true);
    expect(dashboard.element.querySelector('[data-trial-counts]')?.textContent).toBe('3 trials: 3 TERMINATED');
  });

  it('counts the trials of a hidden panel but draws them only once it shows', async () => {
    const listeners = new Set<(event: RayboxEvent) => void>();
    const source = { onEvent: (l: (event: RayboxEvent) => void) => (listeners.add(l), () => listeners.delete(l)), nodes: () => [] };
    const box = document.createElement('div');
    box.style.display = 'none';
    document.body.append(box);
    dashboard = new Dashboard(source, { drawIntervalMs: 0 });
    box.append(dashboard.element);
    for (let i = 0; i < 50; i++) {
      const base = { type: 'trial' as const, time: i, experiment: 'hidden', trialId: `t${i}`, config: { x: i }, nodeId: 'n1' };
      for (const l of listeners) l({ ...base, status: 'RUNNING', metrics: { score: i }, iteration: 1 });
      for (const l of listeners) l({ ...base, status: i % 10 === 0 ? 'ERROR' : 'TERMINATED', metrics: { score: i }, iteration: 2, error: 'boom' });
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (let frame = 0; frame < 5; frame++) await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(dashboard.trials.table.count()).toBe(50);
    expect(dashboard.trials.table.count('ERROR')).toBe(5);
    expect(rowsOf(dashboard)).toEqual([]);
    box.style.display = '';
    // Shown and scrolled into view (the panel sits below the others).
    dashboard.element.querySelector('section[aria-label="Trials"]')?.scrollIntoView();
    await expect.poll(() => rowsOf(dashboard as Dashboard).length).toBe(50);
    expect(dashboard.element.querySelector('[data-trial-counts]')?.textContent).toBe('50 trials: 45 TERMINATED, 5 ERROR');
    box.remove();
  });
});
