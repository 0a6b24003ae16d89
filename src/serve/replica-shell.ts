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
  setReplicas(deployment: string, replicas: unknown[]): void;
  batchReport(): { stats: { batches: number; items: number; largest: number }; traced: { requestId: number; batch: number; size: number }[] };
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
  /** The controller says which replicas another deployment has now (autoscaling, replacement). */
  setReplicas(deployment: string, replicas: unknown[]): boolean {
    this.r.setReplicas(deployment, replicas);
    return true;
  }
  ready(): boolean {
    return true;
  }
  /** For the dashboard, in one call: the batches it ran since it started (`serve.batch`), and the followed requests' batches since the last time. */
  batchReport(): { stats: { batches: number; items: number; largest: number }; traced: { requestId: number; batch: number; size: number }[] } {
    return this.r.batchReport();
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
  setReplicas(deployment: string, replicas: unknown[]): boolean {
    this.r.setReplicas(deployment, replicas);
    return true;
  }
  ready(): boolean {
    return true;
  }
  /** For the dashboard, in one call: the batches it ran since it started (`serve.batch`), and the followed requests' batches since the last time. */
  batchReport(): { stats: { batches: number; items: number; largest: number }; traced: { requestId: number; batch: number; size: number }[] } {
    return this.r.batchReport();
  }
  /** The TensorFlow.js backend the replica computes on. */
  tfBackend(): string {
    return tf.getBackend();
  }
};
