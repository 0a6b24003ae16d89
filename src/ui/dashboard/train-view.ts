import type { TrainGroupEvent } from '../../core/events.ts';
import { el } from '../dom.ts';

/** Groups listed: the running ones and the most recent ended ones. */
const KEEP = 4;

/**
 * The dashboard's Train view (raybox.train): the worker group of each recent training run, one
 * row per worker with its rank, node, state, last reported metrics and the bytes its `allreduce`
 * steps sent (and what they weigh uncompressed, when gradients are compressed). It folds `train`
 * events (each the whole group, so folding is keeping the latest) and draws only when asked.
 */
export class TrainView {
  readonly element = el('div', { 'data-train-view': '' });
  readonly #groups = new Map<string, TrainGroupEvent>();

  get groups(): readonly TrainGroupEvent[] {
    return [...this.#groups.values()];
  }

  apply(event: TrainGroupEvent): boolean {
    const map = this.#groups;
    map.delete(event.groupId); // re-inserted last: the most recently active come last
    map.set(event.groupId, event);
    for (const [id, group] of map) {
      if (map.size <= KEEP) break;
      if (group.state !== 'running') map.delete(id);
    }
    return true;
  }

  draw(): void {
    const groups = [...this.#groups.values()].reverse();
    if (groups.length === 0) {
      this.element.replaceChildren(el('p', { className: 'rb-muted' }, 'No training run yet. A trainer’s fit() shows its workers here.'));
      return;
    }
    this.element.replaceChildren(...groups.map(groupView));
  }
}

function groupView(g: TrainGroupEvent): HTMLElement {
  const metricNames = [...new Set(g.workers.flatMap((w) => Object.keys(w.metrics)))].slice(0, 4);
  const sent = g.workers.reduce((a, w) => a + w.bytesSent, 0);
  const whole = g.workers.reduce((a, w) => a + w.bytesUncompressed, 0);
  return el(
    'div',
    { className: `rb-train-group rb-train-${g.state}`, 'data-group': g.groupId, 'data-state': g.state },
    el(
      'p',
      {},
      el('strong', {}, g.run),
      ` ${g.state} · ${g.workers.length} worker${g.workers.length === 1 ? '' : 's'}${g.attempt > 0 ? ` · restart ${g.attempt}` : ''} · gradients: ${g.compression} · allreduce ${formatBytes(sent)}`,
      whole > sent ? ` of ${formatBytes(whole)} uncompressed` : '',
    ),
    el(
      'table',
      { className: 'rb-table' },
      el('thead', {}, el('tr', {}, ...['rank', 'node', 'local rank', 'state', 'reports', ...metricNames, 'allreduce sent'].map((h) => el('th', {}, h)))),
      el(
        'tbody',
        {},
        ...g.workers.map((w) =>
          el(
            'tr',
            { 'data-rank': String(w.rank), 'data-state': w.state },
            el('td', {}, String(w.rank)),
            el('td', {}, w.nodeId),
            el('td', {}, String(w.localRank)),
            el('td', { className: `rb-train-state-${w.state}` }, w.state),
            el('td', {}, String(w.reports)),
            ...metricNames.map((name) => el('td', {}, formatNumber(w.metrics[name]))),
            el('td', { 'data-bytes': String(w.bytesSent) }, formatBytes(w.bytesSent)),
          ),
        ),
      ),
    ),
  );
}

function formatNumber(value: number | undefined): string {
  if (value === undefined) return '';
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
