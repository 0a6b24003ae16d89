/** ServeStore's request paths: joined to their batch whichever of the two events comes first, the list kept short. */
import { describe, expect, it } from 'vitest';
import type { ServeEvent } from '../../src/core/events.ts';
import { describePath, KEEP_REQUESTS, ServeStore, type RequestPath } from '../../src/ui/dashboard/serve-store.ts';

const where = { type: 'serve' as const, time: 0, app: 'a', deployment: 'D' };
const request = (requestId: number): ServeEvent => ({ ...where, kind: 'request', replicaId: 'D#1', latencyMs: 2, ok: true, queued: 0, ongoing: 0, requestId, taskId: `t${requestId}`, route: 'GET /x' });
const batched = (...ids: number[]): ServeEvent => ({ ...where, kind: 'batched', replicaId: 'D#1', requests: ids.map((requestId) => ({ requestId, batch: 7, size: ids.length })) });

describe('request paths', () => {
  it('joins a batch heard before or after its request, and tells each change', () => {
    const store = new ServeStore();
    const told: string[] = [];
    store.onPath = (p: RequestPath) => told.push(`${p.taskId}: ${describePath(p)}`);
    store.apply(batched(1, 2));
    store.apply(request(1));
    store.apply(request(2));
    store.apply(request(3));
    store.apply(batched(3));
    expect(store.requests.map(describePath)).toEqual(['GET /x → D#1 → batch 7 (2 requests)', 'GET /x → D#1 → batch 7 (2 requests)', 'GET /x → D#1 → batch 7 (1 request)']);
    expect(told).toEqual([
      't1: GET /x → D#1 → batch 7 (2 requests)',
      't2: GET /x → D#1 → batch 7 (2 requests)',
      't3: GET /x → D#1',
      't3: GET /x → D#1 → batch 7 (1 request)',
    ]);
  });

  it('lists only the most recent requests, and none that were not followed', () => {
    const store = new ServeStore();
    store.apply({ ...where, kind: 'request', replicaId: 'D#1', latencyMs: 1, ok: true, queued: 0, ongoing: 0 });
    expect(store.requests).toEqual([]);
    for (let i = 1; i <= KEEP_REQUESTS + 5; i++) store.apply(request(i));
    expect(store.requests.map((r) => r.requestId)).toEqual(Array.from({ length: KEEP_REQUESTS }, (_, i) => i + 6));
  });
});
