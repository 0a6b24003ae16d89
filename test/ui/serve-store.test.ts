import { describe, expect, it } from 'vitest';
import type { ServeEvent } from '../../src/core/events.ts';
import { SERVE_SAMPLES, ServeStore } from '../../src/ui/dashboard/serve-store.ts';

const where = { type: 'serve' as const, app: 'a', deployment: 'D' };
const request = (time: number, latencyMs: number, ok = true): ServeEvent => ({ ...where, time, kind: 'request', replicaId: 'D#0', latencyMs, ok, queued: 2, ongoing: 3 });
const replica = (n: number, state: 'RUNNING' | 'STOPPED'): ServeEvent => ({ ...where, time: n, kind: 'replica', replicaId: `D#${n}`, actorId: `actor-${n}`, state });

describe('ServeStore', () => {
  it('counts every request and keeps percentiles of the last ones', () => {
    const store = new ServeStore();
    for (let i = 0; i < SERVE_SAMPLES * 3; i++) store.apply(request(i, i < SERVE_SAMPLES * 2 ? 1000 : i % 100, i % 10 !== 0));
    const d = store.deployments.get('a/D');
    // Every tenth request failed: i = 0, 10, …, 3070.
    expect([d?.requests, d?.errors, d?.queued, d?.ongoing]).toEqual([SERVE_SAMPLES * 3, 308, 2, 3]);
    // Only the last SERVE_SAMPLES latencies count: none of the early 1000 ms ones.
    expect(d?.percentile(100)).toBeLessThan(100);
    expect(d?.percentile(50)).toBeGreaterThanOrEqual(40);
  });

  it('keeps living replicas and the last 20 stopped ones, and forgets the actors of those let go', () => {
    const store = new ServeStore();
    for (let n = 0; n < 30; n++) {
      store.apply(replica(n, 'RUNNING'));
      if (n > 0) store.apply(replica(n, 'STOPPED'));
    }
    const d = store.deployments.get('a/D');
    expect(d?.runningReplicas).toBe(1);
    expect(d?.replicas.size).toBe(21);
    expect(store.isReplica('actor-0')).toBe(true);
    expect(store.isReplica('actor-1')).toBe(false);
    expect(store.isReplica('actor-29')).toBe(true);
  });

  it('starts a deployment run anew with fresh figures and records autoscaling decisions', () => {
    const store = new ServeStore();
    store.apply(request(1, 5));
    for (let i = 0; i < 7; i++) store.apply({ ...where, time: i, kind: 'autoscale', from: i, to: i + 1, perReplica: 3 });
    expect(store.deployments.get('a/D')?.decisions.map((s) => s.to)).toEqual([3, 4, 5, 6, 7]);
    store.apply({ ...where, time: 9, kind: 'deployment', status: 'DEPLOYING', routePrefix: '/x' });
    expect(store.deployments.get('a/D')?.requests).toBe(0);
    expect(store.deployments.get('a/D')?.routePrefix).toBe('/x');
  });
});
