/**
 * A handle as a replica sees it (composition): calls go straight to the other deployment's
 * replicas, the less loaded of two random ones by the calls this replica has in flight. The
 * controller sends the current replica set whenever it changes (autoscaling, replacement), so a
 * handle made when the application started also reaches replicas added later.
 */
import type { ActorHandle } from '../core/actor-handle.ts';
import { get } from '../core/api.ts';
import type { ObjectRef } from '../core/object-ref.ts';
import { DeploymentResponse, resolveResponses } from './deployment-response.ts';
import { DeploymentDeletedError } from './errors.ts';
import type { ReplicaActor } from './handle-marker.ts';
import { pickTwo } from './pick.ts';

export class WorkerDeploymentHandle {
  #replicas: ActorHandle<ReplicaActor>[];
  /** Calls in flight by replica actor id; kept across updates of the replica set. */
  readonly #inFlight = new Map<string, number>();
  readonly proxy: Record<string, unknown>;
  constructor(
    readonly deployment: string,
    replicas: ActorHandle<ReplicaActor>[],
  ) {
    this.#replicas = [...replicas];
    const call = (method: string | null) => ({ remote: (...args: unknown[]) => this.#call(method, args) });
    this.proxy = new Proxy({} as Record<string, unknown>, {
      get: (_target, key) => {
        if (key === 'remote') return call(null).remote;
        if (key === 'then' || typeof key === 'symbol') return undefined;
        return call(key);
      },
    });
  }

  /** The replicas calls go to now. */
  get replicas(): readonly ActorHandle<ReplicaActor>[] {
    return this.#replicas;
  }

  setReplicas(replicas: ActorHandle<ReplicaActor>[]): void {
    this.#replicas = [...replicas];
    const live = new Set(replicas.map((r) => r.actorId));
    for (const id of this.#inFlight.keys()) if (!live.has(id)) this.#inFlight.delete(id);
  }

  #call(method: string | null, args: unknown[]): DeploymentResponse {
    const replicas = this.#replicas;
    const index = pickTwo(
      replicas.map((r) => this.#inFlight.get(r.actorId) ?? 0),
      () => true,
    );
    const replica = replicas[index];
    if (!replica) {
      const error = new DeploymentDeletedError(this.deployment);
      return new DeploymentResponse(Promise.reject(error), Promise.reject(error));
    }
    const id = replica.actorId;
    this.#inFlight.set(id, (this.#inFlight.get(id) ?? 0) + 1);
    const ref = resolveResponses(args).then((resolved) => replica.call.remote(method, ...resolved) as unknown as ObjectRef);
    const result = ref
      .then((r) => get(r))
      .finally(() => {
        const n = this.#inFlight.get(id);
        if (n !== undefined) this.#inFlight.set(id, n - 1);
      });
    return new DeploymentResponse(ref, result);
  }
}
