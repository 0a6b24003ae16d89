/**
 * `raybox.serve`, after Ray Serve: deployments whose replicas are actors, handles, batching and
 * composition. The controller lives in the page that runs the applications.
 */
import { makeBatcher, type BatchFunction, type BatchOptions } from './batch.ts';
import { ServeController, type RunOptions, type StatusReport } from './controller.ts';
import { makeDeployment, type Application, type Deployment, type DeploymentOptions, type InstanceOf } from './deployment.ts';
import type { DeploymentHandle } from './deployment-handle.ts';
import { ingress, ServeRouter } from './ingress.ts';

const controller = new ServeController();

export const serve = {
  /** A deployment of a class, a function (or a `serve.batch` function). */
  deployment<C>(target: C, options?: DeploymentOptions): Deployment<InstanceOf<C>> {
    return makeDeployment(target, options);
  },
  /** Starts an application and returns a handle to its ingress deployment. */
  run<T>(app: Application<T>, options?: RunOptions): Promise<DeploymentHandle<T>> {
    return controller.run(app, options) as Promise<DeploymentHandle<T>>;
  },
  /** Callers pass one item and get one result; `fn` gets lists of up to `maxBatchSize`. */
  batch<T, R>(fn: BatchFunction<T, R>, options?: BatchOptions): (item: T) => Promise<R> {
    return makeBatcher(fn, options);
  },
  /** Routes for an HTTP ingress: `router.get('/items/:id', handler, { body: jsonSchema })`. */
  router(): ServeRouter {
    return new ServeRouter();
  },
  /** Makes a router a deployable target: `serve.deployment(serve.ingress(router))`. */
  ingress,
  /** Applications and their deployments, with statuses as Ray's. */
  status(): StatusReport {
    return controller.status();
  },
  /** Stops an application: its replicas end and its handles reject later calls. */
  delete(name: string): Promise<void> {
    return controller.delete(name);
  },
  /** Deletes every application. */
  shutdown(): Promise<void> {
    return controller.shutdown();
  },
};

export { Deployment, Application } from './deployment.ts';
export type { DeploymentOptions, AutoscalingConfig } from './deployment.ts';
export type { DeploymentHandle } from './deployment-handle.ts';
export { DeploymentResponse } from './deployment-response.ts';
export type { BatchOptions } from './batch.ts';
export type { ServeRouter, ServeRequest, RouteHandler } from './ingress.ts';
export type { RunOptions, StatusReport, ServeStatus } from './controller.ts';
export { ServeConfigError, ServeOverloadedError, DeploymentDeletedError } from './errors.ts';
