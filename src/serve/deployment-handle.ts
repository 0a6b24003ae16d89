/**
 * A handle to a running deployment, in the page: `handle.remote(...)` calls the deployment
 * itself (a function, or a class's `__call__`), `handle.method.remote(...)` a method. Each call
 * returns a `DeploymentResponse` at once.
 */
import { DeploymentResponse, resolveResponses } from './deployment-response.ts';
import type { RequestRouter } from './request-router.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any function, for inference only
type AnyFn = (...args: any[]) => unknown;

/** Each argument may be a response of another call, passed unawaited. */
type WithResponses<P extends unknown[]> = { [I in keyof P]: P[I] | DeploymentResponse<P[I]> };

/** The methods of the deployment's class `T`, plus `remote` for the deployment itself. */
export type DeploymentHandle<T = unknown> = {
  remote(...args: unknown[]): DeploymentResponse;
  readonly deploymentName: string;
} & {
  readonly [K in keyof T as T[K] extends AnyFn ? K : never]: T[K] extends AnyFn
    ? { remote(...args: WithResponses<Parameters<T[K]>>): DeploymentResponse<Awaited<ReturnType<T[K]>>> }
    : never;
};

export function makeDeploymentHandle<T>(router: RequestRouter): DeploymentHandle<T> {
  const remote =
    (method: string | null) =>
    (...args: unknown[]): DeploymentResponse => {
      const waits = args.some((a) => a instanceof DeploymentResponse);
      const { ref, result } = router.submit(method, waits ? resolveResponses(args) : args);
      return new DeploymentResponse(ref, result);
    };
  // One stub per method, made on first use: a handle is called in hot loops.
  const methods = new Map<string, { remote: (...args: unknown[]) => DeploymentResponse }>();
  const call = (method: string) => {
    let stub = methods.get(method);
    if (!stub) methods.set(method, (stub = { remote: remote(method) }));
    return stub;
  };
  const self = remote(null);
  return new Proxy({} as DeploymentHandle<T>, {
    get(_target, key) {
      if (key === 'deploymentName') return router.deployment;
      if (key === 'remote') return self;
      // Not a thenable: `await handle` must not call a method named `then`.
      if (key === 'then' || typeof key === 'symbol') return undefined;
      return call(key);
    },
  });
}
