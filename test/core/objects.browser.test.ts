import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, init, objectStoreStats, put, remote, shutdown, type ObjectRef } from '../../src/index.ts';

declare const gc: () => void;

beforeAll(async () => {
  await init({ numWorkers: 1 });
});
afterAll(async () => {
  await shutdown();
});

/** Collects garbage until `done()` holds: finalizers run on later turns, so poll a few times. */
async function collectUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !done(); i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('object store', () => {
  it('reports count and bytes of what it holds', () => {
    const before = objectStoreStats();
    const ref = put(new Float64Array(1000));
    const after = objectStoreStats();
    expect(after.count).toBe(before.count + 1);
    expect(after.bytes - before.bytes).toBeGreaterThanOrEqual(8000);
    expect(ref.id).toBeTruthy();
  });

  it('frees an object once its last ref is collected', async () => {
    const baseline = objectStoreStats();
    (() => {
      put(new Float64Array(100_000));
    })();
    expect(objectStoreStats().bytes).toBeGreaterThanOrEqual(baseline.bytes + 800_000);
    await collectUntil(() => objectStoreStats().bytes < baseline.bytes + 800_000);
    expect(objectStoreStats().bytes).toBeLessThan(baseline.bytes + 800_000);
  });

  it('frees the untaken yields of a stream whose generator was dropped before its end', async () => {
    const produce = remote(async function* produce(n: number) {
      for (let i = 0; i < n; i++) yield new Float64Array(10_000).fill(i);
    });
    const baseline = objectStoreStats().count;
    const first = await (async () => {
      const generator = produce.remote(4);
      const taken = await generator.next();
      if (taken.done) throw new Error('the stream ended at once');
      await new Promise((r) => setTimeout(r, 200)); // the other yields arrive and wait to be taken
      expect(objectStoreStats().count).toBeGreaterThan(baseline + 1);
      return get(taken.value as ObjectRef<Float64Array>);
    })();
    expect(first[0]).toBe(0);
    await collectUntil(() => objectStoreStats().count === baseline);
    expect(objectStoreStats().count).toBe(baseline);
  });

  it('lets a task iterate a nested stream on a one-worker pool: waiting for a yield frees the worker', async () => {
    const consumer = remote(async () => {
      const produce = raybox.remote(async function* produce(n: number) {
        for (let i = 0; i < n; i++) yield i;
      });
      const seen: number[] = [];
      for await (const ref of produce.remote(4)) seen.push(await raybox.get(ref));
      return seen;
    });
    expect(await get(consumer.remote(), { timeout: 8 })).toEqual([0, 1, 2, 3]);
  });

  it('frees the untaken yields of a stream a worker dropped before its end', async () => {
    const baseline = objectStoreStats().bytes;
    const consumer = remote(async () => {
      const produce = raybox.remote(async function* produce(n: number) {
        for (let i = 0; i < n; i++) yield new Float64Array(10_000).fill(i);
      });
      const first = await (async () => {
        const generator = produce.remote(4);
        const taken = await generator.next();
        await new Promise((r) => setTimeout(r, 200)); // the other yields arrive and wait to be taken
        return taken.done ? -1 : (await raybox.get(taken.value as import('../../src/index.ts').ObjectRef<Float64Array>))[0];
      })();
      for (let i = 0; i < 20; i++) {
        (globalThis as unknown as { gc: () => void }).gc();
        await new Promise((r) => setTimeout(r, 20));
      }
      return first;
    });
    expect(await get(consumer.remote())).toBe(0);
    await collectUntil(() => objectStoreStats().bytes < baseline + 80_000);
    expect(objectStoreStats().bytes).toBeLessThan(baseline + 80_000);
  });

  it('frees task results and their lineage once nothing refers to them', async () => {
    const make = remote((n: number) => new Float64Array(n));
    const baseline = objectStoreStats().count;
    await (async () => {
      const refs = [make.remote(10_000), make.remote(10_000)];
      await get(refs);
      expect(objectStoreStats().count).toBe(baseline + 2);
    })();
    await collectUntil(() => objectStoreStats().count === baseline);
    expect(objectStoreStats().count).toBe(baseline);
  });

  it('keeps an object alive while a task that takes it is pending', async () => {
    const slowSum = remote(async (a: Float64Array) => {
      await new Promise((r) => setTimeout(r, 50));
      return a.reduce((s, x) => s + x, 0);
    });
    const result = (() => slowSum.remote(put(new Float64Array([1, 2, 3]))))();
    gc();
    expect(await get(result)).toBe(6);
  });

  it('keeps refs nested in a result usable', async () => {
    const wrap = remote(() => ({ inner: raybox.put('deep') }));
    const outer = await get(wrap.remote());
    expect(await get(outer.inner as ObjectRef<string>)).toBe('deep');
  });
});

declare const raybox: typeof import('../../src/index.ts');
