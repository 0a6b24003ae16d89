/**
 * The inside of a replica, in its worker: the user's class instance or function, rebuilt from its
 * source, with handles to other deployments revived from their markers (composition).
 */
import { makeBatcher, observeBatches } from './batch.ts';
import type { DeploymentCode } from './deployment.ts';
import type { ActorHandle } from '../core/actor-handle.ts';
import { isHandleMarker, type ReplicaActor } from './handle-marker.ts';
import { httpRequestKey } from './http-request.ts';
import { WorkerDeploymentHandle } from './worker-handle.ts';

/** The batches a replica ran since it started (`serve.batch`), as the Serve panel shows them. */
export interface BatchStats {
  batches: number;
  items: number;
  largest: number;
}

export interface Replica {
  call(method: string | null, args: unknown[]): Promise<unknown>;
  batchStats(): BatchStats;
  /** Points this replica's handles to `deployment` at its current replicas. */
  setReplicas(deployment: string, replicas: unknown[]): void;
}

function compile(source: string): unknown {
  // The same evaluation the worker uses for every task's code: a fresh global scope.
  return (0, eval)(`(${source}\n)`) as unknown;
}

/** Turns handle markers into handles, and remembers them so the controller can update their replicas. */
function reviver(handles: WorkerDeploymentHandle[]): (value: unknown) => unknown {
  const revive = (value: unknown): unknown => {
    if (isHandleMarker(value)) {
      const handle = new WorkerDeploymentHandle(value.__rayboxServeHandle.deployment, value.__rayboxServeHandle.replicas);
      handles.push(handle);
      return handle.proxy;
    }
    if (Array.isArray(value)) return value.map(revive);
    return value;
  };
  return revive;
}

/** An HTTP request as it travels (data), given `json()` again in the replica. */
function reviveRequest(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !(httpRequestKey in value)) return value;
  const { body, ...rest } = (value as { [httpRequestKey]: { body: string } & Record<string, unknown> })[httpRequestKey];
  return { ...rest, text: () => body, json: () => (body === '' ? undefined : JSON.parse(body)) };
}

export function createReplica(code: DeploymentCode, rawArgs: unknown[]): Replica {
  // One replica per worker: every batch this worker runs is this replica's.
  const stats: BatchStats = { batches: 0, items: 0, largest: 0 };
  observeBatches((size) => {
    stats.batches++;
    stats.items += size;
    stats.largest = Math.max(stats.largest, size);
  });
  const batchStats = (): BatchStats => ({ ...stats });
  const handles: WorkerDeploymentHandle[] = [];
  const args = rawArgs.map(reviver(handles));
  const setReplicas = (deployment: string, replicas: unknown[]): void => {
    for (const handle of handles) if (handle.deployment === deployment) handle.setReplicas(replicas as ActorHandle<ReplicaActor>[]);
  };
  if (code.kind === 'ingress') {
    const handlers = (code.ingress?.routes ?? []).map((route) => compile(route.source) as (...a: unknown[]) => unknown);
    return {
      setReplicas,
      batchStats,
      async call(method, callArgs) {
        const handler = handlers[Number(method)];
        if (!handler) throw new TypeError(`The ingress has no route number ${String(method)}.`);
        return handler(reviveRequest(callArgs[0]), ...args);
      },
    };
  }
  if (code.kind === 'class') {
    const cls = compile(code.source) as new (...a: unknown[]) => Record<string, unknown>;
    const instance = new cls(...args);
    return {
      setReplicas,
      batchStats,
      async call(method, callArgs) {
        const name = method ?? '__call__';
        const fn = instance[name];
        if (typeof fn !== 'function') {
          throw new TypeError(`The deployment has no method '${name}'. ${method === null ? 'Define __call__ to call the handle itself, or call handle.<method>.remote().' : ''}`);
        }
        return (fn as (...a: unknown[]) => unknown).apply(instance, callArgs.map(reviveRequest));
      },
    };
  }
  if (code.kind === 'function') {
    const raw = compile(code.source) as (...a: unknown[]) => unknown;
    const fn = code.batch ? makeBatcher(raw as (items: unknown[]) => unknown[], code.batch) : raw;
    return {
      setReplicas,
      batchStats,
      async call(method, callArgs) {
        if (method !== null) throw new TypeError(`A function deployment has no method '${method}'; call handle.remote(...) instead.`);
        return (fn as (...a: unknown[]) => unknown)(...callArgs.map(reviveRequest), ...args);
      },
    };
  }
  throw new TypeError(`Replicas of kind '${code.kind}' are not supported here.`);
}
