import { RayboxError } from '../core/errors.ts';

/** A deployment, its options or what was bound to it is wrong; the message says what to change. */
export class ServeConfigError extends RayboxError {
  override readonly name = 'ServeConfigError';
}

/** Every replica is at `maxOngoingRequests` and the queue is full: the request was refused. */
export class ServeOverloadedError extends RayboxError {
  override readonly name = 'ServeOverloadedError';
  constructor(deployment: string, queued: number) {
    super(
      `Deployment '${deployment}' is overloaded: every replica is busy and ${queued} request(s) already wait. ` +
        'Send fewer requests at once, add replicas (numReplicas or autoscalingConfig), or raise maxQueuedRequests.',
    );
  }
}

/** A handle of an application that was deleted (or of a Serve that was shut down) was called. */
export class DeploymentDeletedError extends RayboxError {
  override readonly name = 'DeploymentDeletedError';
  constructor(deployment: string) {
    super(`Deployment '${deployment}' was deleted, so its handle no longer answers. Run the application again with serve.run().`);
  }
}
