/**
 * A handle as a replica sees it (composition): calls go straight to the other deployment's
 * replicas, the less loaded of two random ones by the calls this replica has in flight.
 */
import type { ActorHandle } from '../core/actor-handle.ts';
import { get } from '../core/api.ts';
import type { ObjectRef } from '../core/object-ref.ts';
import { DeploymentResponse, resolveResponses } from './deployment-response.ts';
import type { ReplicaActor } from './handle-marker.ts';
import { pickTwo } from './pick.ts';

export class WorkerDeploymentHandle {
  readonly #inFlight: number[];
  readonly proxy: Record<string, unknown>;
  constructor(
    readonly deployment: string,
    readonly replicas: ActorHandle<ReplicaActor>[],
  ) {
    this.#inFlight = replicas.map(() => 0);
    const call = (method: string | null) => ({ remote: (...args: unknown[]) => this.#call(method, args) });
    this.proxy = new Proxy({} as Record<string, unknown>, {
      get: (_target, key) => {
        if (key === 'remote') return call(null).remote;
        if (key === 'then' || typeof key === 'symbol') return undefined;
        return call(key);
      },
    });
  }

  #call(method: string | null, args: unknown[]): DeploymentResponse {
    const index = pickTwo(this.#inFlight, () => true);
    const replica = this.replicas[index] as ActorHandle<ReplicaActor>;
    this.#inFlight[index] = (this.#inFlight[index] ?? 0) + 1;
    const ref = resolveResponses(args).then((resolved) => replica.call.remote(method, ...resolved) as unknown as ObjectRef);
    const result = ref.then((r) => get(r)).finally(() => {
      this.#inFlight[index] = (this.#inFlight[index] ?? 1) - 1;
    });
    return new DeploymentResponse(ref, result);
  }
}
