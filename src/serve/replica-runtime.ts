/**
 * The inside of a replica, in its worker: the user's class instance or function, rebuilt from its
 * source, with handles to other deployments revived from their markers (composition).
 */
import { makeBatcher } from './batch.ts';
import type { DeploymentCode } from './deployment.ts';
import { isHandleMarker } from './handle-marker.ts';
import { WorkerDeploymentHandle } from './worker-handle.ts';

export interface Replica {
  call(method: string | null, args: unknown[]): Promise<unknown>;
}

function compile(source: string): unknown {
  // The same evaluation the worker uses for every task's code: a fresh global scope.
  return (0, eval)(`(${source}\n)`) as unknown;
}

function revive(value: unknown): unknown {
  if (isHandleMarker(value)) return new WorkerDeploymentHandle(value.__rayboxServeHandle.deployment, value.__rayboxServeHandle.replicas).proxy;
  if (Array.isArray(value)) return value.map(revive);
  return value;
}

export function createReplica(code: DeploymentCode, rawArgs: unknown[]): Replica {
  const args = rawArgs.map(revive);
  if (code.kind === 'class') {
    const cls = compile(code.source) as new (...a: unknown[]) => Record<string, unknown>;
    const instance = new cls(...args);
    return {
      async call(method, callArgs) {
        const name = method ?? '__call__';
        const fn = instance[name];
        if (typeof fn !== 'function') {
          throw new TypeError(`The deployment has no method '${name}'. ${method === null ? 'Define __call__ to call the handle itself, or call handle.<method>.remote().' : ''}`);
        }
        return (fn as (...a: unknown[]) => unknown).apply(instance, callArgs);
      },
    };
  }
  if (code.kind === 'function') {
    const raw = compile(code.source) as (...a: unknown[]) => unknown;
    const fn = code.batch ? makeBatcher(raw as (items: unknown[]) => unknown[], code.batch) : raw;
    return {
      async call(method, callArgs) {
        if (method !== null) throw new TypeError(`A function deployment has no method '${method}'; call handle.remote(...) instead.`);
        return (fn as (...a: unknown[]) => unknown)(...callArgs, ...args);
      },
    };
  }
  throw new TypeError(`Replicas of kind '${code.kind}' are not supported here.`);
}
