import type { ServeEvent } from '../../core/events.ts';
import { RecentSet } from './recent-set.ts';

/** Latencies and answer times kept per deployment for percentiles and the request rate. */
export const SERVE_SAMPLES = 1_024;
/** Stopped replicas and autoscaling decisions listed per deployment; older ones are forgotten. */
const KEEP_STOPPED = 20;
const KEEP_DECISIONS = 5;
/** Followed requests whose path (route → replica → batch) the panel lists, the most recent last. */
export const KEEP_REQUESTS = 20;
/** Requests kept to join their batch to (the timeline labels this many calls' bars with it). */
const KEEP_JOINABLE = 1_000;
/** Batches heard of before their request's answer, kept until it comes. */
const KEEP_EARLY_BATCHES = 200;
/** The request rate is over the answers of this window. */
const RATE_WINDOW_MS = 10_000;

export interface ServeReplicaRow {
  replicaId: string;
  actorId: string;
  state: 'RUNNING' | 'STOPPING' | 'STOPPED';
}

/** One followed request's way through Serve: the route or method it came by, the replica, the batch it joined. */
export interface RequestPath {
  requestId: number;
  app: string;
  deployment: string;
  route: string;
  replicaId: string;
  /** The replica call's task: its bar on the timeline. */
  taskId: string;
  latencyMs: number;
  ok: boolean;
  /** The replica's batch number and size, once the replica reported it; null when not (yet) known. */
  batch: { id: number; size: number } | null;
}

/** "GET /items/:id → Doubler#1 → batch 3 (4 requests)". */
export function describePath(path: RequestPath): string {
  const batch = path.batch ? ` → batch ${path.batch.id} (${path.batch.size} ${path.batch.size === 1 ? 'request' : 'requests'})` : '';
  return `${path.route} → ${path.replicaId}${batch}`;
}

export interface ScaleDecision {
  time: number;
  from: number;
  to: number;
  perReplica: number;
}

/** What the Serve panel knows of one deployment of one application. */
export class DeploymentStats {
  status: 'DEPLOYING' | 'RUNNING' | 'DELETING' = 'DEPLOYING';
  routePrefix = '/';
  requests = 0;
  errors = 0;
  queued = 0;
  ongoing = 0;
  readonly replicas = new Map<string, ServeReplicaRow>();
  readonly decisions: ScaleDecision[] = [];
  /** Each replica's batch totals (`serve.batch`), as it last reported them. */
  readonly batches = new Map<string, { batches: number; items: number; largest: number }>();
  readonly #latencies = new Float64Array(SERVE_SAMPLES);
  readonly #times = new Float64Array(SERVE_SAMPLES);
  #stopped: string[] = [];

  constructor(
    readonly app: string,
    readonly deployment: string,
  ) {}

  /** O(1): a ring slot per answer. */
  answered(time: number, latencyMs: number, ok: boolean, queued: number, ongoing: number): void {
    const slot = this.requests % SERVE_SAMPLES;
    this.#latencies[slot] = latencyMs;
    this.#times[slot] = time;
    this.requests++;
    if (!ok) this.errors++;
    this.queued = queued;
    this.ongoing = ongoing;
  }

  /** Records a replica's state; returns the actor of a stopped replica forgotten to keep the cap. */
  replica(event: Extract<ServeEvent, { kind: 'replica' }>): string | undefined {
    this.replicas.set(event.replicaId, { replicaId: event.replicaId, actorId: event.actorId, state: event.state });
    if (event.state !== 'STOPPED') return undefined;
    this.#stopped.push(event.replicaId);
    if (this.#stopped.length <= KEEP_STOPPED) return undefined;
    const oldest = this.#stopped.shift() ?? '';
    const forgotten = this.replicas.get(oldest)?.actorId;
    this.replicas.delete(oldest);
    return forgotten;
  }

  decided(decision: ScaleDecision): void {
    this.decisions.push(decision);
    if (this.decisions.length > KEEP_DECISIONS) this.decisions.shift();
  }

  /** Batches run by all replicas, their mean size and the largest; null for a deployment that never batched. */
  get batchSizes(): { batches: number; mean: number; largest: number } | null {
    let batches = 0;
    let items = 0;
    let largest = 0;
    for (const b of this.batches.values()) {
      batches += b.batches;
      items += b.items;
      largest = Math.max(largest, b.largest);
    }
    return batches === 0 ? null : { batches, mean: items / batches, largest };
  }

  get runningReplicas(): number {
    let n = 0;
    for (const r of this.replicas.values()) if (r.state === 'RUNNING') n++;
    return n;
  }

  /** Latency percentile `p` (0–100) of the last answers, in ms; null before any. Costs a sort: call when drawing. */
  percentile(p: number): number | null {
    const n = Math.min(this.requests, SERVE_SAMPLES);
    if (n === 0) return null;
    const sorted = this.#latencies.slice(0, n).sort();
    return sorted[Math.min(n - 1, Math.floor((p / 100) * n))] ?? null;
  }

  /** Answers per second over the last ten seconds before `now`. */
  rate(now: number): number {
    const n = Math.min(this.requests, SERVE_SAMPLES);
    let count = 0;
    let oldest = now;
    for (let i = 0; i < n; i++) {
      const t = this.#times[i] ?? 0;
      if (now - t <= RATE_WINDOW_MS) {
        count++;
        oldest = Math.min(oldest, t);
      }
    }
    // A full ring within the window: the rate is over the span the ring covers.
    const span = count === SERVE_SAMPLES ? Math.max(now - oldest, 1) : RATE_WINDOW_MS;
    return (count * 1000) / span;
  }
}

/**
 * Serve's state folded from its events, O(1) per event: deployments by application, their
 * replicas, request counts, queue lengths, latencies and autoscaling decisions.
 */
export class ServeStore {
  readonly deployments = new Map<string, DeploymentStats>();
  /** The most recent followed requests, oldest first (at most `KEEP_REQUESTS`). */
  readonly requests: RequestPath[] = [];
  /** Told of each request path as it becomes known or gains its batch (the timeline labels the call's bar). */
  onPath: ((path: RequestPath) => void) | undefined;
  readonly #actors = new Set<string>();
  readonly #byId = new RecentSet<RequestPath>(KEEP_JOINABLE);
  readonly #earlyBatches = new RecentSet<{ id: number; size: number }>(KEEP_EARLY_BATCHES);

  apply(event: ServeEvent): boolean {
    const key = `${event.app}/${event.deployment}`;
    let stats = this.deployments.get(key);
    // A deployment started again (an application run anew under its name) starts with fresh figures.
    if (!stats || (event.kind === 'deployment' && event.status === 'DEPLOYING')) {
      if (stats) for (const r of stats.replicas.values()) this.#actors.delete(r.actorId);
      stats = new DeploymentStats(event.app, event.deployment);
      this.deployments.set(key, stats);
    }
    switch (event.kind) {
      case 'deployment':
        stats.status = event.status;
        stats.routePrefix = event.routePrefix;
        return true;
      case 'replica': {
        this.#actors.add(event.actorId);
        const forgotten = stats.replica(event);
        if (forgotten !== undefined) this.#actors.delete(forgotten);
        return true;
      }
      case 'request':
        stats.answered(event.time, event.latencyMs, event.ok, event.queued, event.ongoing);
        if (event.requestId !== undefined && event.taskId !== undefined) this.#followed(event as Required<typeof event>);
        return true;
      case 'autoscale':
        stats.decided({ time: event.time, from: event.from, to: event.to, perReplica: event.perReplica });
        return true;
      case 'batches':
        // Bounded like the replicas: only a listed replica's totals are kept.
        if (!stats.replicas.has(event.replicaId)) return false;
        stats.batches.set(event.replicaId, { batches: event.batches, items: event.items, largest: event.largest });
        return true;
      case 'batched': {
        let changed = false;
        for (const r of event.requests) {
          const batch = { id: r.batch, size: r.size };
          const path = this.#byId.get(String(r.requestId));
          if (path) {
            path.batch = batch;
            this.onPath?.(path);
            changed = true;
          } else {
            // The replica may report the batch before the request's answer reaches the page.
            this.#earlyBatches.set(String(r.requestId), batch);
          }
        }
        return changed;
      }
    }
  }

  #followed(event: Required<Extract<ServeEvent, { kind: 'request' }>>): void {
    const key = String(event.requestId);
    const batch = this.#earlyBatches.get(key) ?? null;
    this.#earlyBatches.delete(key);
    const path: RequestPath = { requestId: event.requestId, app: event.app, deployment: event.deployment, route: event.route, replicaId: event.replicaId, taskId: event.taskId, latencyMs: event.latencyMs, ok: event.ok, batch };
    this.requests.push(path);
    if (this.requests.length > KEEP_REQUESTS) this.requests.shift();
    this.#byId.set(key, path);
    this.onPath?.(path);
  }

  /** Whether an actor is a replica listed here (its actor events change the panel). */
  isReplica(actorId: string): boolean {
    return this.#actors.has(actorId);
  }
}
