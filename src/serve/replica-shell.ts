/**
 * The actor class every replica is: a thin shell whose source travels to the worker, where the
 * worker's `raybox.serve.replica` (this layer, bundled into the worker script) builds the user's
 * deployment from its source and runs its calls. It is kept free of imports on purpose.
 */
declare const tf: { getBackend(): string };
declare const raybox: {
  serve: {
    replica(
      code: unknown,
      args: unknown[],
    ): ReplicaInside;
  };
};

interface ReplicaInside {
  call(method: string | null, args: unknown[]): Promise<unknown>;
  tracedCall(requestId: number, method: string | null, args: unknown[]): Promise<unknown>;
  tracedBatches(): { requestId: number; batch: number; size: number }[];
  setReplicas(deployment: string, replicas: unknown[]): void;
  batchStats(): { batches: number; items: number; largest: number };
}

export const ReplicaShell = class ServeReplica {
  r: ReplicaInside;
  constructor(code: unknown, args: unknown[]) {
    this.r = raybox.serve.replica(code, args);
  }
  call(method: string | null, ...args: unknown[]): Promise<unknown> {
    return this.r.call(method, args);
  }
  /** `call` for a request the dashboard follows: the batch it joins is noted. */
  tracedCall(requestId: number, method: string | null, ...args: unknown[]): Promise<unknown> {
    return this.r.tracedCall(requestId, method, args);
  }
  /** The followed requests' batches since the last time. */
  tracedBatches(): { requestId: number; batch: number; size: number }[] {
    return this.r.tracedBatches();
  }
  /** The controller says which replicas another deployment has now (autoscaling, replacement). */
  setReplicas(deployment: string, replicas: unknown[]): boolean {
    this.r.setReplicas(deployment, replicas);
    return true;
  }
  ready(): boolean {
    return true;
  }
  /** The batches it ran since it started (`serve.batch`), for the dashboard. */
  batchStats(): { batches: number; items: number; largest: number } {
    return this.r.batchStats();
  }
};

/**
 * The shell of a deployment whose code uses TensorFlow.js: the same, with a method that names `tf`,
 * since a worker loads tf before a task whose source mentions it (and the user's code travels as
 * an argument, which it does not read).
 */
export const TfReplicaShell = class ServeReplica {
  r: ReplicaInside;
  constructor(code: unknown, args: unknown[]) {
    this.r = raybox.serve.replica(code, args);
  }
  call(method: string | null, ...args: unknown[]): Promise<unknown> {
    return this.r.call(method, args);
  }
  /** `call` for a request the dashboard follows: the batch it joins is noted. */
  tracedCall(requestId: number, method: string | null, ...args: unknown[]): Promise<unknown> {
    return this.r.tracedCall(requestId, method, args);
  }
  /** The followed requests' batches since the last time. */
  tracedBatches(): { requestId: number; batch: number; size: number }[] {
    return this.r.tracedBatches();
  }
  setReplicas(deployment: string, replicas: unknown[]): boolean {
    this.r.setReplicas(deployment, replicas);
    return true;
  }
  ready(): boolean {
    return true;
  }
  /** The batches it ran since it started (`serve.batch`), for the dashboard. */
  batchStats(): { batches: number; items: number; largest: number } {
    return this.r.batchStats();
  }
  /** The TensorFlow.js backend the replica computes on. */
  tfBackend(): string {
    return tf.getBackend();
  }
};
