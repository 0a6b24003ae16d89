/**
 * The dashboard's Train view, fed by a real training run: the worker group with each worker's
 * rank, node, state, last metrics and allreduce bytes; a running snapshot before the ended one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { init, nodes, onEvent, onEventBatch, shutdown, train } from '../../src/index.ts';
import type { TrainGroupEvent } from '../../src/core/events.ts';
import { Dashboard } from '../../src/ui/dashboard/dashboard.ts';

const source = { onEvent, onEventBatch, nodes };
const endOfTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

let dashboard: Dashboard | undefined;
beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await shutdown();
});
afterEach(() => dashboard?.destroy());

const panel = () => dashboard?.element.querySelector<HTMLElement>('[data-panel="train"]');

describe('Train view', () => {
  it("lists the running trainer's workers with rank, node, state, metrics and allreduce bytes", { timeout: 120_000 }, async () => {
    dashboard = new Dashboard(source, { drawIntervalMs: 0 });
    document.body.append(dashboard.element);
    const seen: TrainGroupEvent[] = [];
    const stop = onEvent((event) => {
      if (event.type === 'train') seen.push(event);
    });
    const loop = async () => {
      const r = train.getContext().worldRank;
      for (let step = 0; step < 2; step++) {
        const [mean] = await train.allreduce(new Float32Array([r + step]), 'mean');
        await train.report({ step, loss: 1 / (step + 1), mean });
      }
    };
    await new train.DataParallelTrainer(loop, { scalingConfig: { numWorkers: 2 }, runConfig: { name: 'view-run' } }).fit();
    stop();
    // While it ran: a snapshot of the running group after a report.
    expect(seen.some((e) => e.state === 'running' && e.workers.some((w) => w.reports > 0))).toBe(true);
    expect(seen.at(-1)?.state).toBe('finished');
    await endOfTurn();
    dashboard.drawNow();
    const group = panel()?.querySelector<HTMLElement>('[data-group]');
    expect(group?.dataset['state']).toBe('finished');
    expect(group?.textContent).toContain('view-run');
    const rows = [...(panel()?.querySelectorAll<HTMLElement>('tr[data-rank]') ?? [])];
    expect(rows.map((tr) => tr.dataset['rank'])).toEqual(['0', '1']);
    expect(rows.map((tr) => tr.dataset['state'])).toEqual(['finished', 'finished']);
    const localNode = nodes()[0]!.nodeId;
    for (const row of rows) {
      const cells = [...row.querySelectorAll('td')].map((td) => td.textContent);
      // rank, node, local rank, state, reports, step, loss, mean, bytes
      expect(cells.slice(1, 5)).toEqual([localNode, row.dataset['rank'], 'finished', '2']);
      expect(cells.slice(5, 8)).toEqual(['1', '0.5000', '1.500']);
      expect(Number(row.querySelector<HTMLElement>('[data-bytes]')?.dataset['bytes'])).toBeGreaterThan(0);
    }
    const headers = [...(panel()?.querySelectorAll('th') ?? [])].map((th) => th.textContent);
    expect(headers).toEqual(['rank', 'node', 'local rank', 'state', 'reports', 'step', 'loss', 'mean', 'allreduce sent']);
  });
});
