/**
 * The inside of a replica, in its worker: the user's class instance or function, rebuilt from its
 * source, with handles to other deployments revived from their markers (composition).
 */
import { makeBatcher, observeBatches, withCallTag } from './batch.ts';
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

/** The batch a followed request joined: the replica's batch number (from 1) and its size. */
export interface TracedBatch {
  requestId: number;
  batch: number;
  size: number;
}

/** Followed requests' batches kept until the controller reads them; older ones are dropped. */
const KEEP_TRACED = 1_000;

export interface Replica {
  call(method: string | null, args: unknown[]): Promise<unknown>;
  /** `call`, for a request the dashboard follows: the batch it joins is noted under `requestId`. */
  tracedCall(requestId: number, method: string | null, args: unknown[]): Promise<unknown>;
  /** The batches run so far, and the followed requests' batches noted since the last time (then forgotten). */
  batchReport(): { stats: BatchStats; traced: TracedBatch[] };
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
  const replica = createCalls(code, rawArgs);
  // One replica per worker: every batch this worker runs is this replica's.
  const stats: BatchStats = { batches: 0, items: 0, largest: 0 };
  let traced: TracedBatch[] = [];
  observeBatches((size, tags) => {
    stats.batches++;
    stats.items += size;
    stats.largest = Math.max(stats.largest, size);
    if (!tags) return;
    for (const requestId of tags) traced.push({ requestId, batch: stats.batches, size });
    if (traced.length > KEEP_TRACED) traced.splice(0, traced.length - KEEP_TRACED);
  });
  return {
    ...replica,
    tracedCall: (requestId, method, args) => withCallTag(requestId, () => replica.call(method, args)),
    batchReport: () => {
      const report = { stats: { ...stats }, traced };
      traced = [];
      return report;
    },
  };
}

/** The user's code behind a replica: its calls, and the handles it holds. */
function createCalls(code: DeploymentCode, rawArgs: unknown[]): Pick<Replica, 'call' | 'setReplicas'> {
  const handles: WorkerDeploymentHandle[] = [];
  const args = rawArgs.map(reviver(handles));
  const setReplicas = (deployment: string, replicas: unknown[]): void => {
    for (const handle of handles) if (handle.deployment === deployment) handle.setReplicas(replicas as ActorHandle<ReplicaActor>[]);
  };
  if (code.kind === 'ingress') {
    const handlers = (code.ingress?.routes ?? []).map((route) => compile(route.source) as (...a: unknown[]) => unknown);
    return {
      setReplicas,
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
      async call(method, callArgs) {
        if (method !== null) throw new TypeError(`A function deployment has no method '${method}'; call handle.remote(...) instead.`);
        return (fn as (...a: unknown[]) => unknown)(...callArgs.map(reviveRequest), ...args);
      },
    };
  }
  throw new TypeError(`Replicas of kind '${code.kind}' are not supported here.`);
}
