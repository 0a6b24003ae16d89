import type { ActorEvent, ServeEvent } from '../../core/events.ts';
import { el } from '../dom.ts';
import { describePath, ServeStore, type DeploymentStats, type RequestPath } from './serve-store.ts';

/**
 * The dashboard's Serve panel: each application's deployments (status, replicas, queue, requests,
 * request rate, latency percentiles, batch sizes, the last autoscaling decisions), their replicas with
 * where they run, and the most recent requests' paths (route → replica → batch; a click selects one,
 * whose path is shown above the list; the timeline labels each request's call with it). Events are only folded into the store (`apply`); the DOM is built in `draw`,
 * which the dashboard calls only while the panel is in view.
 */
export class ServePanel {
  readonly store = new ServeStore();
  readonly element: HTMLElement;
  #empty = el('p', { className: 'rb-muted', 'data-serve-empty': '' }, 'No applications. Start one with serve.run(app).');
  #deploymentsBody = el('tbody', { 'data-serve-deployments': '' });
  #replicasBody = el('tbody', { 'data-serve-replicas': '' });
  #requestsBody = el('tbody', { 'data-serve-requests-list': '' });
  #selectedPath = el('p', { className: 'rb-muted', 'data-serve-selected-path': '' }, 'Requests appear here with their path while the dashboard is open.');
  /** The request whose path is shown; the most recent when none was clicked. */
  #selected: number | undefined;
  #tables: HTMLElement;

  constructor(
    /** What the dashboard knows of an actor: a replica's node, worker and actor state. */
    readonly actorOf: (actorId: string) => ActorEvent | undefined,
    readonly now: () => number = Date.now,
  ) {
    const head = (...names: string[]) => el('thead', {}, el('tr', {}, ...names.map((h) => el('th', {}, h))));
    this.#tables = el(
      'div',
      { hidden: true },
      el('table', { className: 'rb-table', 'aria-label': 'Serve deployments' }, head('application', 'deployment', 'status', 'replicas', 'queued', 'ongoing', 'requests', 'errors', 'req/s', 'p50', 'p95', 'batch size', 'autoscaling'), this.#deploymentsBody),
      el('table', { className: 'rb-table', 'aria-label': 'Serve replicas' }, head('replica', 'deployment', 'state', 'actor', 'node', 'worker'), this.#replicasBody),
      this.#selectedPath,
      el('table', { className: 'rb-table', 'aria-label': 'Serve requests' }, head('request', 'deployment', 'route', 'replica', 'batch', 'latency', 'task'), this.#requestsBody),
    );
    this.#requestsBody.addEventListener('click', (event) => {
      const row = (event.target as HTMLElement).closest<HTMLElement>('[data-serve-request]');
      if (!row) return;
      this.#selected = Number(row.dataset['serveRequest']);
      this.draw();
    });
    this.element = el('div', { className: 'rb-serve' }, this.#empty, this.#tables);
  }

  /** Folds one event (O(1)); true when the panel changed. */
  apply(event: ServeEvent): boolean {
    return this.store.apply(event);
  }

  /** Whether an actor event changes what the panel shows. */
  watches(actorId: string): boolean {
    return this.store.isReplica(actorId);
  }

  draw(): void {
    const all = [...this.store.deployments.values()];
    this.#empty.hidden = all.length > 0;
    this.#tables.hidden = all.length === 0;
    const now = this.now();
    this.#deploymentsBody.replaceChildren(...all.map((d) => this.#deploymentRow(d, now)));
    this.#replicasBody.replaceChildren(...all.flatMap((d) => this.#replicaRows(d)));
    const requests = this.store.requests;
    const selected = requests.find((r) => r.requestId === this.#selected) ?? requests.at(-1);
    if (selected) this.#selectedPath.textContent = `Request ${selected.requestId}: ${describePath(selected)}`;
    this.#requestsBody.replaceChildren(...requests.toReversed().map((r) => this.#requestRow(r, r === selected)));
  }

  #requestRow(r: RequestPath, selected: boolean): HTMLElement {
    return el(
      'tr',
      { 'data-serve-request': String(r.requestId), className: selected ? 'rb-selected' : r.ok ? '' : 'rb-serve-failed', title: describePath(r) },
      el('td', {}, String(r.requestId)),
      el('td', {}, `${r.app}/${r.deployment}`),
      el('td', { 'data-serve-route': '' }, r.route),
      el('td', { 'data-serve-request-replica': '' }, r.replicaId),
      el('td', { 'data-serve-batch': '' }, r.batch ? `${r.batch.id} (${r.batch.size})` : '—'),
      el('td', {}, formatMs(r.latencyMs)),
      el('td', {}, r.taskId),
    );
  }

  #deploymentRow(d: DeploymentStats, now: number): HTMLElement {
    const p50 = d.percentile(50);
    const p95 = d.percentile(95);
    const last = d.decisions.at(-1);
    const batches = d.batchSizes;
    const decisions = d.decisions.map((s) => `${new Date(s.time).toLocaleTimeString()} ${s.from}→${s.to} at ${s.perReplica.toFixed(1)}/replica`).join('\n');
    return el(
      'tr',
      { 'data-serve-deployment': `${d.app}/${d.deployment}`, className: `rb-serve-${d.status}` },
      el('td', {}, d.routePrefix === '/' ? d.app : `${d.app} (${d.routePrefix})`),
      el('td', {}, d.deployment),
      el('td', {}, d.status),
      el('td', { 'data-serve-replica-count': '' }, String(d.runningReplicas)),
      el('td', {}, String(d.queued)),
      el('td', {}, String(d.ongoing)),
      el('td', { 'data-serve-requests': '' }, String(d.requests)),
      el('td', {}, String(d.errors)),
      el('td', {}, d.requests === 0 ? '—' : d.rate(now).toFixed(1)),
      el('td', {}, formatMs(p50)),
      el('td', {}, formatMs(p95)),
      el('td', { 'data-serve-batches': '', title: batches ? `${batches.batches} batches, the largest ${batches.largest}` : 'No batches (serve.batch) yet' }, batches ? `${batches.mean.toFixed(1)} (max ${batches.largest})` : '—'),
      el('td', { title: decisions }, last ? `${last.from}→${last.to}` : '—'),
    );
  }

  #replicaRows(d: DeploymentStats): HTMLElement[] {
    return [...d.replicas.values()].map((r) => {
      const actor = this.actorOf(r.actorId);
      return el(
        'tr',
        { 'data-serve-replica': r.replicaId, className: `rb-serve-replica-${r.state}` },
        el('td', {}, r.replicaId),
        el('td', {}, `${d.app}/${d.deployment}`),
        el('td', {}, r.state),
        el('td', {}, actor?.state ?? '—'),
        el('td', { 'data-serve-node': '' }, actor?.nodeId ?? '—'),
        el('td', {}, actor?.workerId ?? '—'),
      );
    });
  }
}

function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
