/**
 * Serve's controller, in the page: starts applications (each deployment's replicas as actors
 * and its router), reports their status, deletes them.
 */
import type { ActorHandle } from '../core/actor-handle.ts';
import { get, kill, remote } from '../core/api.ts';
import { Application, Deployment } from './deployment.ts';
import { makeDeploymentHandle, type DeploymentHandle } from './deployment-handle.ts';
import { ServeConfigError } from './errors.ts';
import { handleMarkerKey, type HandleMarker, type ReplicaActor } from './handle-marker.ts';
import { startAutoscaler } from './autoscaler.ts';
import { startHttpHost } from './http-host.ts';
import { ReplicaShell } from './replica-shell.ts';
import { RequestRouter } from './request-router.ts';

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
  readonly deployment: Deployment;
  readonly router: RequestRouter;
  status: ServeStatus;
  stopAutoscaler?: () => void;
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
    const ingress = await this.#deploy(app, deployments);
    const running: RunningApp = { name, routePrefix, deployments, ingress, status: 'RUNNING' };
    this.apps.set(name, running);
    if (options.http ?? true) await startHttpHost(() => this.apps.values(), () => this.apps.size > 0);
    return makeDeploymentHandle(ingress.router);
  }

  /** Starts a deployment after those bound into its arguments (they become handle markers). */
  async #deploy(app: Application, deployments: Map<string, RunningDeployment>): Promise<RunningDeployment> {
    const args: unknown[] = [];
    for (const arg of app.args) {
      if (arg instanceof Application) args.push(markerOf(await this.#deploy(arg, deployments)));
      else args.push(arg);
    }
    const { deployment } = app;
    const existing = deployments.get(deployment.name);
    if (existing) return existing;
    const { config } = deployment;
    const router = new RequestRouter(config.name, config.maxOngoingRequests, config.maxQueuedRequests);
    const running: RunningDeployment = { name: config.name, deployment, router, status: 'DEPLOYING' };
    deployments.set(config.name, running);
    const count = config.autoscalingConfig?.minReplicas ?? config.numReplicas;
    const started = await Promise.all(Array.from({ length: count }, () => this.#startReplica(deployment, args)));
    for (const actor of started) router.addReplica({ id: `${config.name}#${nextReplica++}`, actor, ongoing: 0, handled: 0 });
    running.status = 'RUNNING';
    if (config.autoscalingConfig) {
      running.stopAutoscaler = startAutoscaler(router, config.autoscalingConfig, {
        add: async () => {
          const actor = await this.#startReplica(deployment, args);
          if (running.status === 'DELETING') kill(actor);
          else router.addReplica({ id: `${config.name}#${nextReplica++}`, actor, ongoing: 0, handled: 0 });
        },
        remove: () => {
          const idle = router.replicas.find((r) => r.ongoing === 0);
          if (!idle) return false;
          router.removeReplica(idle);
          kill(idle.actor);
          return true;
        },
      });
    }
    return running;
  }

  async #startReplica(deployment: Deployment, args: unknown[]): Promise<ActorHandle<ReplicaActor>> {
    const { config } = deployment;
    const Replica = remote(ReplicaShell, {
      // A replica whose worker dies is started again (Serve replaces it).
      maxRestarts: -1,
      ...config.rayActorOptions,
      // Room for every request the router may send at once (and so for batches to fill).
      maxConcurrency: config.maxOngoingRequests,
    });
    const actor = Replica.remote(deployment.code, args) as unknown as ActorHandle<ReplicaActor>;
    await get(actor.ready.remote());
    return actor;
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

  async delete(name: string): Promise<void> {
    const app = this.apps.get(name);
    if (!app) return;
    app.status = 'DELETING';
    this.apps.delete(name);
    for (const d of app.deployments.values()) {
      d.status = 'DELETING';
      d.stopAutoscaler?.();
      d.router.close();
      for (const replica of d.router.replicas.splice(0)) kill(replica.actor);
    }
  }

  async shutdown(): Promise<void> {
    for (const name of [...this.apps.keys()]) await this.delete(name);
  }
}

function markerOf(running: RunningDeployment): HandleMarker {
  return { [handleMarkerKey]: { deployment: running.name, replicas: running.router.replicas.map((r) => r.actor) } };
}

function normalizePrefix(prefix: string): string {
  if (typeof prefix !== 'string' || !prefix.startsWith('/')) throw new ServeConfigError(`serve.run(): routePrefix must start with '/' (got ${String(prefix)}).`);
  return prefix.length > 1 && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
}
