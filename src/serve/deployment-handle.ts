/**
 * A handle to a running deployment, in the page: `handle.remote(...)` calls the deployment
 * itself (a function, or a class's `__call__`), `handle.method.remote(...)` a method. Each call
 * returns a `DeploymentResponse` at once.
 */
import { DeploymentResponse, resolveResponses } from './deployment-response.ts';
import type { RequestRouter } from './request-router.ts';

/** Any method name of the deployment, plus `remote` for the deployment itself. */
export type DeploymentHandle = {
  remote(...args: unknown[]): DeploymentResponse;
  readonly deploymentName: string;
} & { readonly [method: string]: { remote(...args: unknown[]): DeploymentResponse } };

export function makeDeploymentHandle(router: RequestRouter): DeploymentHandle {
  const call = (method: string | null) => ({
    remote: (...args: unknown[]): DeploymentResponse => {
      const { ref, result } = router.submit(method, resolveResponses(args));
      return new DeploymentResponse(ref, result);
    },
  });
  return new Proxy({} as DeploymentHandle, {
    get(_target, key) {
      if (key === 'deploymentName') return router.deployment;
      if (key === 'remote') return call(null).remote;
      // Not a thenable: `await handle` must not call a method named `then`.
      if (key === 'then' || typeof key === 'symbol') return undefined;
      return call(key);
    },
  });
}
