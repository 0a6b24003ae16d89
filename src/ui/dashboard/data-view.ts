import type { DataEvent } from '../../core/events.ts';
import { el } from '../dom.ts';

/** Executions listed: the running ones and the most recent finished ones. */
const KEEP = 8;

/**
 * The dashboard's Data view (raybox.data): each dataset execution with its operators' rows and
 * blocks in and out, tasks running, blocks queued for the consumer, time held back by the memory
 * budget (backpressure), and the bytes its blocks hold against the budget. It folds `data`
 * events (each a full snapshot of one execution, so folding is keeping the latest) and draws
 * only when asked, which the dashboard does only while the panel is on screen.
 */
export class DataView {
  readonly element = el('div', { 'data-data-view': '' });
  /** Latest snapshot per execution, oldest first. */
  readonly #executions = new Map<string, DataEvent>();
  #events = 0;

  /** `data` events folded so far. */
  get events(): number {
    return this.#events;
  }

  get executions(): readonly DataEvent[] {
    return [...this.#executions.values()];
  }

  apply(event: DataEvent): boolean {
    this.#events++;
    const map = this.#executions;
    map.delete(event.executionId); // re-inserted last: the most recently active come last
    map.set(event.executionId, event);
    if (map.size > KEEP) {
      for (const [id, e] of map) {
        if (map.size <= KEEP) break;
        if (e.state !== 'running') map.delete(id);
      }
    }
    return true;
  }

  draw(): void {
    const executions = [...this.#executions.values()].reverse();
    if (executions.length === 0) {
      this.element.replaceChildren(el('p', { className: 'rb-muted' }, 'No dataset has run yet. Consuming a dataset (take, count, iterBatches, a write…) shows its operators here.'));
      return;
    }
    this.element.replaceChildren(...executions.map((e) => execution(e)));
  }
}

function execution(e: DataEvent): HTMLElement {
  const memory = el('meter', { min: 0, max: Math.max(1, e.budgetBytes), value: Math.min(e.heldBytes, e.budgetBytes), title: `blocks hold ${formatBytes(e.heldBytes)} of a ${formatBytes(e.budgetBytes)} budget (peak ${formatBytes(e.peakBytes)})` });
  return el(
    'div',
    { className: `rb-data-execution rb-data-${e.state}`, 'data-execution': e.executionId, 'data-state': e.state },
    el('p', {}, el('strong', {}, e.name), ` ${e.state} · memory `, memory, ` ${formatBytes(e.heldBytes)} / ${formatBytes(e.budgetBytes)}, peak ${formatBytes(e.peakBytes)}`),
    el(
      'table',
      { className: 'rb-table' },
      el('thead', {}, el('tr', {}, ...['operator', 'blocks in', 'rows in', 'rows out', 'blocks out', 'output', 'running', 'queued', 'backpressure'].map((h) => el('th', {}, h)))),
      el(
        'tbody',
        {},
        ...e.operators.map((op) =>
          el(
            'tr',
            { 'data-operator': op.name },
            el('td', {}, op.name),
            el('td', {}, op.blocksIn.toLocaleString()),
            el('td', {}, op.rowsIn.toLocaleString()),
            el('td', { 'data-rows-out': '' }, op.rowsOut.toLocaleString()),
            el('td', {}, op.blocksOut.toLocaleString()),
            el('td', {}, formatBytes(op.bytesOut)),
            el('td', {}, String(op.running)),
            el('td', {}, String(op.queued)),
            el('td', {}, formatMs(op.backpressureMs)),
          ),
        ),
      ),
    ),
  );
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  if (bytes < 2 ** 20) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
