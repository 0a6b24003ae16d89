import type { ActorHandle } from '../core/actor-handle.ts';

/**
 * How a handle travels into a replica's constructor (composition): the deployment's name and its
 * replicas' actor handles, which the runtime counts and passes like any other actor handle.
 */
export const handleMarkerKey = '__rayboxServeHandle';

export interface HandleMarker {
  [handleMarkerKey]: { deployment: string; replicas: ActorHandle<ReplicaActor>[] };
}

/** What a replica's actor answers. */
export interface ReplicaActor {
  call(method: string | null, ...args: unknown[]): Promise<unknown>;
  tracedCall(requestId: number, method: string | null, ...args: unknown[]): Promise<unknown>;
  setReplicas(deployment: string, replicas: ActorHandle<ReplicaActor>[]): boolean;
  ready(): boolean;
  batchReport(): { stats: { batches: number; items: number; largest: number }; traced: { requestId: number; batch: number; size: number }[] };
}

export function isHandleMarker(value: unknown): value is HandleMarker {
  return typeof value === 'object' && value !== null && handleMarkerKey in value;
}
