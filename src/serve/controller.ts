/**
 * Serve's controller, in the page: starts applications (each deployment's replicas as actors
 * and its router), reports their status, deletes them.
 */
import type { ActorHandle } from '../core/actor-handle.ts';
import { get, kill, remote } from '../core/api.ts';
import { driver } from '../runtime/session.ts';
import { Application, Deployment } from './deployment.ts';
import { makeDeploymentHandle, type DeploymentHandle } from './deployment-handle.ts';
import { ServeConfigError } from './errors.ts';
import { handleMarkerKey, type HandleMarker, type ReplicaActor } from './handle-marker.ts';
import { startAutoscaler } from './autoscaler.ts';
import { startHttpHost } from './http-host.ts';
import { ReplicaShell, TfReplicaShell } from './replica-shell.ts';
import { emitServe, serveEventsWanted } from './serve-events.ts';
import { RequestRouter, type RoutedReplica } from './request-router.ts';

export type ServeStatus = 'DEPLOYING' | 'RUNNING' | 'UNHEALTHY' | 'DELETING';

export interface RunOptions {
  /** The application's name (default `'default'`); running a name again replaces it. */
  name?: string;
  /** Where its HTTP routes live under `/serve` (default `'/'`). */
  routePrefix?: string;
  /** Answer `fetch('/serve/…')` of this origin through the Service Worker (default true). */
  http?: boolean;
}

export interface RunningDeployment {
  readonly name: string;
  /** The application it was started in. */
  readonly app: string;
  readonly deployment: Deployment;
  readonly router: RequestRouter;
  /** Constructor arguments as bound; a `BoundHandle` stands for a deployment bound into them. */
  readonly args: unknown[];
  /** Deployments whose replicas hold a handle to this one: told when its replicas change. */
  readonly dependents: Set<RunningDeployment>;
  status: ServeStatus;
  stopAutoscaler?: () => void;
  stopBatchPolling?: () => void;
}

/** How often the batch sizes of a batching deployment's replicas are read while the dashboard listens. */
const BATCH_POLL_MS = 1_000;

/** A deployment bound into another's constructor arguments; each replica gets a handle marker of it. */
class BoundHandle {
  constructor(readonly target: RunningDeployment) {}
}

export interface RunningApp {
  readonly name: string;
  readonly routePrefix: string;
  readonly deployments: Map<string, RunningDeployment>;
  readonly ingress: RunningDeployment;
  status: ServeStatus;
}

export interface StatusReport {
  applications: Record<string, { status: ServeStatus; routePrefix: string; deployments: Record<string, { status: ServeStatus; numReplicas: number }> }>;
}

let nextReplica = 0;

/** How long a removed replica may take to finish what it was sent, and how often that is checked. */
const DRAIN_LIMIT_MS = 30_000;
const DRAIN_POLL_MS = 100;

export class ServeController {
  readonly apps = new Map<string, RunningApp>();

  async run(app: unknown, options: RunOptions = {}): Promise<DeploymentHandle> {
    if (!(app instanceof Application)) {
      const hint = app instanceof Deployment ? ` Call ${app.name}.bind(...) first.` : ' Build one with serve.deployment(...).bind(...).';
      throw new ServeConfigError(`serve.run() takes an application (a bound deployment).${hint}`);
    }
    const name = options.name ?? 'default';
    const routePrefix = normalizePrefix(options.routePrefix ?? '/');
    if (this.apps.has(name)) await this.delete(name);
    const deployments = new Map<string, RunningDeployment>();
    const ingress = await this.#deploy(app, deployments, name, routePrefix);
    const running: RunningApp = { name, routePrefix, deployments, ingress, status: 'RUNNING' };
    this.apps.set(name, running);
    if (options.http ?? true) await startHttpHost(() => this.apps.values(), () => this.apps.size > 0);
    return makeDeploymentHandle(ingress.router);
  }

  /** Starts a deployment after those bound into its arguments (they become handle markers). */
  async #deploy(app: Application, deployments: Map<string, RunningDeployment>, appName: string, routePrefix: string): Promise<RunningDeployment> {
    const args: unknown[] = [];
    for (const arg of app.args) {
      if (arg instanceof Application) args.push(new BoundHandle(await this.#deploy(arg, deployments, appName, routePrefix)));
      else args.push(arg);
    }
    const { deployment } = app;
    const existing = deployments.get(deployment.name);
    if (existing) return existing;
    const { config } = deployment;
    const router = new RequestRouter(config.name, config.maxOngoingRequests, config.maxQueuedRequests);
    const running: RunningDeployment = { name: config.name, app: appName, deployment, router, args, dependents: new Set(), status: 'DEPLOYING' };
    for (const arg of args) if (arg instanceof BoundHandle) arg.target.dependents.add(running);
    deployments.set(config.name, running);
    const where = { app: appName, deployment: config.name };
    emitServe({ ...where, kind: 'deployment', status: 'DEPLOYING', routePrefix });
    router.traced = serveEventsWanted;
    router.onAnswered = (replica, latencyMs, ok, trace) => {
      if (serveEventsWanted()) emitServe({ ...where, kind: 'request', replicaId: replica.id, latencyMs, ok, queued: router.queued, ongoing: router.ongoing, ...trace });
    };
    const count = config.autoscalingConfig?.minReplicas ?? config.numReplicas;
    const started = await Promise.all(Array.from({ length: count }, () => this.#startReplica(running)));
    for (const actor of started) this.#addReplica(running, actor);
    running.status = 'RUNNING';
    emitServe({ ...where, kind: 'deployment', status: 'RUNNING', routePrefix });
    if (usesBatching(deployment.code)) running.stopBatchPolling = this.#pollBatches(running);
    if (config.autoscalingConfig) {
      const inFlight = (r: RoutedReplica): number => Math.max(r.ongoing, driver().actorCallsInFlight(r.actor.actorId));
      running.stopAutoscaler = startAutoscaler(
        { replicas: () => router.replicas.length, load: () => router.queued + router.replicas.reduce((sum, r) => sum + inFlight(r), 0) },
        config.autoscalingConfig,
        {
          add: async (perReplica) => {
            const from = router.replicas.length;
            emitServe({ ...where, kind: 'autoscale', from, to: from + 1, perReplica });
            const actor = await this.#startReplica(running);
            if (running.status === 'DELETING') return kill(actor);
            this.#addReplica(running, actor);
            // The new replica's own handles were made from the sets of its start; any change since is sent now.
            for (const arg of running.args) if (arg instanceof BoundHandle) this.#tell([actor], arg.target);
            void this.#replicasChanged(running);
          },
          remove: (perReplica) => {
            const idle = router.replicas.find((r) => inFlight(r) === 0);
            if (!idle) return false;
            const from = router.replicas.length;
            emitServe({ ...where, kind: 'autoscale', from, to: from - 1, perReplica });
            router.removeReplica(idle);
            emitServe({ ...where, kind: 'replica', replicaId: idle.id, actorId: idle.actor.actorId, state: 'STOPPING' });
            void this.#replicasChanged(running).then(() => this.#killWhenIdle(running, idle));
            return true;
          },
        },
      );
    }
    return running;
  }

  #addReplica(running: RunningDeployment, actor: ActorHandle<ReplicaActor>): void {
    const replica: RoutedReplica = { id: `${running.name}#${nextReplica++}`, actor, ongoing: 0, handled: 0 };
    running.router.addReplica(replica);
    emitServe({ app: running.app, deployment: running.name, kind: 'replica', replicaId: replica.id, actorId: actor.actorId, state: 'RUNNING' });
  }

  #stopReplica(running: RunningDeployment, replica: RoutedReplica): void {
    kill(replica.actor);
    emitServe({ app: running.app, deployment: running.name, kind: 'replica', replicaId: replica.id, actorId: replica.actor.actorId, state: 'STOPPED' });
  }

  async #startReplica(running: RunningDeployment): Promise<ActorHandle<ReplicaActor>> {
    const { config, code } = running.deployment;
    const Replica = remote(usesTf(code) ? TfReplicaShell : ReplicaShell, {
      // A replica whose worker dies is started again (Serve replaces it).
      maxRestarts: -1,
      ...config.rayActorOptions,
      // Room for every request the router may send at once (and so for batches to fill), and one
      // more for the controller's own calls (replica set updates).
      maxConcurrency: config.maxOngoingRequests + 1,
    });
    // Handles are made of the replica sets as they are now, not as they were when the application started.
    const args = running.args.map((arg) => (arg instanceof BoundHandle ? markerOf(arg.target) : arg));
    const actor = Replica.remote(code, args) as unknown as ActorHandle<ReplicaActor>;
    await get(actor.ready.remote());
    return actor;
  }

  /** Tells every replica holding a handle to `changed` which replicas it has now; resolves when they took it. */
  async #replicasChanged(changed: RunningDeployment): Promise<void> {
    const told: Promise<unknown>[] = [];
    for (const dependent of changed.dependents) {
      if (dependent.status === 'DELETING') continue;
      told.push(...this.#tell(dependent.router.replicas.map((r) => r.actor), changed));
    }
    await Promise.allSettled(told);
  }

  #tell(holders: ActorHandle<ReplicaActor>[], changed: RunningDeployment): Promise<unknown>[] {
    const replicas = changed.router.replicas.map((r) => r.actor);
    return holders.map((holder) => get(holder.setReplicas.remote(changed.name, replicas)));
  }

  /** A removed replica ends once the calls other deployments' handles sent it before they were told are done. */
  async #killWhenIdle(running: RunningDeployment, replica: RoutedReplica): Promise<void> {
    for (let waited = 0; waited < DRAIN_LIMIT_MS && driver().actorCallsInFlight(replica.actor.actorId) > 0; waited += DRAIN_POLL_MS) {
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
    this.#stopReplica(running, replica);
  }

  status(): StatusReport {
    const applications: StatusReport['applications'] = {};
    for (const app of this.apps.values()) {
      const deployments: StatusReport['applications'][string]['deployments'] = {};
      for (const d of app.deployments.values()) deployments[d.name] = { status: d.status, numReplicas: d.router.replicas.length };
      applications[app.name] = { status: app.status, routePrefix: app.routePrefix, deployments };
    }
    return { applications };
  }

  /**
   * Batches form inside replicas, so their sizes are read from there: once a second, and only while
   * the dashboard listens, each replica's totals become a `batches` event when they changed.
   */
  #pollBatches(running: RunningDeployment): () => void {
    const seen = new Map<string, number>();
    let polling = false;
    const timer = setInterval(() => {
      if (polling || !serveEventsWanted()) return;
      polling = true;
      const replicas = [...running.router.replicas];
      const read = async (replica: RoutedReplica) => ({ replica, ...(await get(replica.actor.batchReport.remote())) });
      void Promise.allSettled(replicas.map(read))
        .then((outcomes) => {
          for (const outcome of outcomes) {
            if (outcome.status !== 'fulfilled') continue;
            const { replica, stats, traced } = outcome.value;
            if (traced.length > 0) emitServe({ app: running.app, deployment: running.name, kind: 'batched', replicaId: replica.id, requests: traced });
            if (seen.get(replica.id) === stats.batches) continue;
            seen.set(replica.id, stats.batches);
            emitServe({ app: running.app, deployment: running.name, kind: 'batches', replicaId: replica.id, ...stats });
          }
        })
        .finally(() => (polling = false));
    }, BATCH_POLL_MS);
    return () => clearInterval(timer);
  }

  async delete(name: string): Promise<void> {
    const app = this.apps.get(name);
    if (!app) return;
    app.status = 'DELETING';
    this.apps.delete(name);
    for (const d of app.deployments.values()) {
      d.status = 'DELETING';
      emitServe({ app: name, deployment: d.name, kind: 'deployment', status: 'DELETING', routePrefix: app.routePrefix });
      d.stopAutoscaler?.();
      d.stopBatchPolling?.();
      d.router.close();
      for (const replica of d.router.replicas.splice(0)) this.#stopReplica(d, replica);
    }
  }

  async shutdown(): Promise<void> {
    for (const name of [...this.apps.keys()]) await this.delete(name);
  }
}

/** Whether a deployment batches its calls (`serve.batch`), so its replicas have batch sizes to read. */
function usesBatching(code: Deployment['code']): boolean {
  return code.batch !== undefined || /\bbatch\s*\(/.test(code.source);
}

/** Whether a deployment's code names TensorFlow.js's global `tf` (as the worker's own check reads a task's source). */
function usesTf(code: Deployment['code']): boolean {
  const mentions = /(^|[^\w$])tf\b/;
  return mentions.test(code.source) || (code.ingress?.routes ?? []).some((route) => mentions.test(route.source));
}

function markerOf(running: RunningDeployment): HandleMarker {
  return { [handleMarkerKey]: { deployment: running.name, replicas: running.router.replicas.map((r) => r.actor) } };
}

function normalizePrefix(prefix: string): string {
  if (typeof prefix !== 'string' || !prefix.startsWith('/')) throw new ServeConfigError(`serve.run(): routePrefix must start with '/' (got ${String(prefix)}).`);
  return prefix.length > 1 && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
}
