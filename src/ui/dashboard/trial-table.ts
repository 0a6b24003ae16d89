import type { RayboxEvent, TrialStateEvent } from '../../core/events.ts';
import { el } from '../dom.ts';

/** Trials kept; the oldest are forgotten past this (their experiment is long over). */
export const MAX_TRIALS = 2_000;
/** Rows drawn: the most recently added trials. */
export const MAX_TRIAL_ROWS = 200;

const STATUSES: ReadonlyArray<TrialStateEvent['status']> = ['PENDING', 'RUNNING', 'PAUSED', 'TERMINATED', 'ERROR'];

/**
 * Tune's trials from the event stream: each trial's latest state, in the order trials were added,
 * and the count of trials in each status. Folding an event is a map write and two count updates,
 * so a hidden panel costs no more than that.
 */
export class TrialTable {
  #trials = new Map<string, TrialStateEvent>();
  #counts = new Map<TrialStateEvent['status'], number>();
  /** Trials forgotten to keep the cap. */
  dropped = 0;

  apply(event: RayboxEvent): boolean {
    if (event.type !== 'trial') return false;
    const key = `${event.experiment}\u0000${event.trialId}`;
    const known = this.#trials.get(key);
    if (known) this.#count(known.status, -1);
    this.#trials.set(key, event);
    this.#count(event.status, 1);
    if (!known && this.#trials.size > MAX_TRIALS) {
      const [oldestKey, oldest] = this.#trials.entries().next().value as [string, TrialStateEvent];
      this.#trials.delete(oldestKey);
      this.#count(oldest.status, -1);
      this.dropped++;
    }
    return true;
  }

  #count(status: TrialStateEvent['status'], delta: number): void {
    this.#counts.set(status, (this.#counts.get(status) ?? 0) + delta);
  }

  count(status?: TrialStateEvent['status']): number {
    return status === undefined ? this.#trials.size : (this.#counts.get(status) ?? 0);
  }

  /** The latest state of each trial, oldest trial first. */
  rows(): TrialStateEvent[] {
    return [...this.#trials.values()];
  }
}

/** The dashboard's Trials section: a line of counts by status and a table of the latest trials. */
export class TrialPanel {
  readonly table = new TrialTable();
  readonly #summary = el('p', { className: 'rb-muted', 'data-trial-counts': '' }, 'No trials yet: tune.run or Tuner.fit lists its trials here.');
  readonly #body = el('tbody', { 'data-trials': '' });
  readonly content: Node[] = [
    this.#summary,
    el('table', { className: 'rb-table rb-trial-table' }, el('thead', {}, el('tr', {}, ...['trial', 'status', 'config', 'last metrics', 'iter', 'node'].map((h) => el('th', {}, h)))), this.#body),
  ];

  draw(): void {
    const total = this.table.count();
    if (total === 0) return;
    const counts = STATUSES.filter((s) => this.table.count(s) > 0).map((s) => `${this.table.count(s)} ${s}`);
    const shown = Math.min(total, MAX_TRIAL_ROWS);
    this.#summary.textContent = `${total} trials: ${counts.join(', ')}${shown < total ? ` (the latest ${shown} listed)` : ''}`;
    this.#body.replaceChildren(
      ...this.table
        .rows()
        .slice(-MAX_TRIAL_ROWS)
        .map((trial) => {
          const config = formatValues(trial.config);
          const metrics = formatValues(trial.metrics);
          return el(
            'tr',
            { 'data-trial': trial.trialId, 'data-status': trial.status, className: `rb-trial-${trial.status}`, title: trial.error ?? trial.experiment },
            el('td', {}, trial.trialId),
            el('td', {}, trial.status),
            el('td', { title: config }, config),
            el('td', { title: metrics }, metrics),
            el('td', {}, String(trial.iteration)),
            el('td', {}, trial.nodeId ?? '—'),
          );
        }),
    );
  }
}

/** `a=1, b=0.25` with numbers to 4 significant digits; nested values as JSON. */
function formatValues(values: Record<string, unknown>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}=${typeof value === 'number' ? (Number.isInteger(value) ? String(value) : value.toPrecision(4)) : JSON.stringify(value)}`)
    .join(', ');
}
