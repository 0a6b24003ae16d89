/**
 * Autoscaling of one deployment: requests in flight (from the page's router and from other
 * deployments' handles alike) plus queued requests per replica are compared with
 * `targetOngoingRequests` on every tick. A replica is added only once the load has stayed above
 * the target for `upscaleDelayS`, and removed only once it has stayed below for `downscaleDelayS`,
 * so load that stays level does not make the count oscillate (ray #18925).
 */
import type { AutoscalingConfig } from './deployment.ts';

/** What the autoscaler reads of a deployment on each tick. */
export interface ScaleMetrics {
  /** Replicas routed to now. */
  replicas(): number;
  /** Requests waiting at the router plus those in flight at replicas, from every caller. */
  load(): number;
}

export interface Scaler {
  /** Adds a replica; `perReplica` is the load that decided it. */
  add(perReplica: number): Promise<void>;
  /** Removes an idle replica; false when none is idle. */
  remove(perReplica: number): boolean;
}

const TICK_MS = 100;

export function startAutoscaler(metrics: ScaleMetrics, config: AutoscalingConfig, scaler: Scaler): () => void {
  const min = config.minReplicas ?? 1;
  const max = config.maxReplicas ?? 1;
  const target = config.targetOngoingRequests ?? 2;
  const upscaleMs = (config.upscaleDelayS ?? 30) * 1000;
  const downscaleMs = (config.downscaleDelayS ?? 600) * 1000;
  let aboveSince: number | undefined;
  let belowSince: number | undefined;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    const count = metrics.replicas();
    const perReplica = metrics.load() / Math.max(count, 1);
    const now = Date.now();
    aboveSince = perReplica > target && count < max ? (aboveSince ?? now) : undefined;
    belowSince = perReplica < target && count > min ? (belowSince ?? now) : undefined;
    if (aboveSince !== undefined && now - aboveSince >= upscaleMs) {
      aboveSince = undefined;
      busy = true;
      void scaler.add(perReplica).finally(() => (busy = false));
    } else if (belowSince !== undefined && now - belowSince >= downscaleMs) {
      belowSince = undefined;
      scaler.remove(perReplica);
    }
  }, TICK_MS);
  return () => clearInterval(timer);
}
