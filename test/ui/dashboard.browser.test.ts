import { afterEach, describe, expect, it } from 'vitest';
import type { NodeInfo, RayboxEvent } from '../../src/core/events.ts';
import { Dashboard } from '../../src/ui/dashboard/dashboard.ts';

/** A source whose events the test emits itself. */
class FakeSource {
  listeners = new Set<(event: RayboxEvent) => void>();
  nodeList: NodeInfo[] = [{ nodeId: 'n1', alive: true, isLocal: true, resources: { CPU: 4 }, backend: 'wasm', label: 'this page', numWorkers: 4 }];
  onEvent(listener: (event: RayboxEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  nodes(): NodeInfo[] {
    return this.nodeList;
  }
  emit(event: RayboxEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** Lets the events of this turn reach the dashboard (it takes them in batches, at the end of a turn). */
const endOfTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

let dashboard: Dashboard | undefined;
afterEach(() => dashboard?.destroy());

describe('Dashboard', () => {
  it('counts 100,000 tasks exactly, lists the most recent 10,000 and builds only the rows in view', async () => {
    const source = new FakeSource();
    dashboard = new Dashboard(source, { now: () => 1_000_000 });
    document.body.append(dashboard.element);
    for (let i = 0; i < 100_000; i++) {
      const base = { type: 'task' as const, taskId: `t${i}`, name: i % 2 ? 'odd' : 'even', nodeId: 'n1', workerId: `w${i % 4}` };
      source.emit({ ...base, state: 'PENDING_ARGS', time: i });
      source.emit({ ...base, state: 'RUNNING', time: i + 1 });
      source.emit({ ...base, state: i === 99_999 ? 'FAILED' : 'FINISHED', time: i + 3, error: i === 99_999 ? { name: 'TaskError', message: 'last one' } : undefined });
    }
    await endOfTurn();
    dashboard.drawNow();
    const counts = Object.fromEntries([...dashboard.element.querySelectorAll<HTMLElement>('dd[data-state]')].map((dd) => [dd.dataset['state'], dd.textContent]));
    expect(counts).toMatchObject({ FINISHED: '99999', FAILED: '1', RUNNING: '0' });
    const list = dashboard.element.querySelector<HTMLElement>('.rb-task-list');
    const rows = () => [...(list?.querySelectorAll<HTMLElement>('.rb-vlist-row') ?? [])].filter((row) => !row.hidden);
    expect(rows().length).toBeGreaterThan(0);
    expect(rows().length).toBeLessThan(50);
    // It follows the newest tasks: the last row is in view, with its error.
    expect(rows().some((row) => row.dataset['taskId'] === 't99999' && row.textContent?.includes('TaskError: last one'))).toBe(true);
    // Scrolling to the top shows the oldest task kept, still with a handful of rows.
    if (list) {
      list.scrollTop = 0;
      list.dispatchEvent(new Event('scroll'));
    }
    expect(rows().some((row) => row.dataset['taskId'] === 't90000')).toBe(true);
    expect(rows().length).toBeLessThan(50);
    expect(dashboard.element.querySelector('[data-task-total]')?.textContent).toBe('10,000 tasks');
    expect(dashboard.element.querySelector<HTMLElement>('[data-tasks-dropped]')?.hidden).toBe(false);
    expect(dashboard.element.querySelector('[data-tasks-dropped]')?.textContent).toContain('90,000 earlier ones');
    const timeline = dashboard.element.querySelector('.rb-timeline');
    expect(timeline?.getAttribute('data-lanes')).toBe('4');
    expect(timeline?.getAttribute('data-spans')).toBe('10000');
    expect(dashboard.element.querySelector('[data-timeline-dropped]')?.textContent).toContain('90,000 earlier');
    expect(dashboard.element.querySelector('[data-nodes] tr')?.textContent).toContain('wasm');
  });

  it('draws no hidden panel, only counts, and draws it once it shows', async () => {
    const source = new FakeSource();
    const box = document.createElement('div');
    box.style.display = 'none';
    document.body.append(box);
    dashboard = new Dashboard(source, { now: () => 1_000_000, drawIntervalMs: 0 });
    box.append(dashboard.element);
    const timeline = () => dashboard?.element.querySelector<HTMLElement>('.rb-timeline');
    const finished = () => dashboard?.element.querySelector('dd[data-state="FINISHED"]')?.textContent;
    for (let i = 0; i < 1000; i++) {
      const base = { type: 'task' as const, taskId: `t${i}`, name: 'f', nodeId: 'n1', workerId: 'w0' };
      source.emit({ ...base, state: 'PENDING_ARGS', time: i });
      source.emit({ ...base, state: 'RUNNING', time: i });
      source.emit({ ...base, state: 'FINISHED', time: i + 1 });
    }
    await endOfTurn();
    // Frames go by; the hidden panels fold the events but draw nothing.
    for (let frame = 0; frame < 5; frame++) await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(dashboard.counts.count('FINISHED')).toBe(1000);
    expect(dashboard.tasks.length).toBe(1000);
    expect(timeline()?.dataset['spans']).toBeUndefined();
    expect(finished()).toBe('0');
    box.style.display = '';
    await expect.poll(() => timeline()?.dataset['spans']).toBe('1000');
    await expect.poll(finished).toBe('1000'); // the counts may be drawn a step after the timeline
    box.remove();
  });

  it('redraws less often while events stream in fast, and as often as asked once they slow down', async () => {
    const source = new FakeSource();
    let clock = 0;
    dashboard = new Dashboard(source, { now: () => clock, drawIntervalMs: 250, busyDrawIntervalMs: 1000 });
    dashboard.drawNow();
    expect(dashboard.drawIntervalMs).toBe(250);
    // 5,000 events in half a second: busy. (Handed over directly, so no frame of its own comes between.)
    const events = (n: number, state: 'PENDING_ARGS' | 'RUNNING') => Array.from({ length: n }, (_, i) => ({ type: 'task' as const, taskId: `t${i}`, name: 'f', state, time: i }));
    dashboard.applyBatch(events(5000, 'PENDING_ARGS'));
    clock += 500;
    dashboard.drawNow();
    expect(dashboard.drawIntervalMs).toBe(1000);
    // 10 events in the next second: not busy any more.
    dashboard.applyBatch(events(10, 'RUNNING'));
    clock += 1000;
    dashboard.drawNow();
    expect(dashboard.drawIntervalMs).toBe(250);
  });
});
