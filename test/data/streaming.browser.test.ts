/**
 * The streaming executor in a page with real workers: a dataset many times the memory budget
 * streams through map → consumer while the bytes its blocks hold in the object store stay within
 * the budget; a class in mapBatches runs on an actor pool whose actors are each constructed
 * once; streamingSplit hands every row to exactly one consumer.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { data, get, init, objectStoreStats, onEvent, remote, shutdown } from '../../src/index.ts';
import type { DataIterator } from '../../src/data/index.ts';

const defaultBudget = data.context.memoryBudgetBytes;

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await shutdown();
});
afterEach(() => {
  data.context.memoryBudgetBytes = defaultBudget;
});

describe('streaming execution', () => {
  it('a dataset 10× the budget flows through without the blocks ever holding more than the budget', { timeout: 120_000 }, async () => {
    // 40 blocks of 50,000 rows × 2 float64 columns = 800 KB each, 32 MB in all. The budget (1 MB)
    // holds one block, not two, so it binds before the two CPUs do: a next block is made only
    // once the consumer let go of the last.
    data.context.memoryBudgetBytes = 1_000_000;
    const ds = data.range(2_000_000, { overrideNumBlocks: 40 }).mapBatches((b: Record<string, Float64Array>) => ({ id: b.id, sq: b.id!.map((x) => x * x) }));
    // Measured from the object store, where the workers' blocks land: its byte count each time an
    // object arrives in it, and at each batch the consumer sees.
    const storeBefore = objectStoreStats().bytes;
    let storePeak = 0;
    let blocksStored = 0;
    const stop = onEvent((e) => {
      if (e.type !== 'object' || e.change !== 'created') return;
      blocksStored++;
      storePeak = Math.max(storePeak, objectStoreStats().bytes - storeBefore);
    });
    let rows = 0;
    let sum = 0;
    try {
      for await (const batch of ds.iterBatches({ batchSize: 100_000 })) {
        storePeak = Math.max(storePeak, objectStoreStats().bytes - storeBefore);
        const sq = (batch as Record<string, Float64Array>).sq!;
        rows += sq.length;
        for (let i = 0; i < sq.length; i += 100_000) sum += sq[i]!;
      }
    } finally {
      stop();
    }
    expect(blocksStored).toBe(40);
    expect(storePeak).toBeGreaterThanOrEqual(800_000);
    expect(storePeak).toBeLessThanOrEqual(1_000_000);
    // Every block's object is released once consumed, without waiting for the garbage collector.
    expect(objectStoreStats().bytes).toBe(storeBefore);
    expect(rows).toBe(2_000_000);
    expect(sum).toBe([...Array(20).keys()].reduce((s, k) => s + (k * 100_000) ** 2, 0));
    const stats = ds.stats()!;
    expect(stats.bytesOut).toBe(32_000_000);
    expect(stats.bytesOut).toBeGreaterThanOrEqual(10 * stats.budgetBytes);
    expect(stats.peakBytes).toBe(800_000);
    expect(stats.peakBytes).toBeLessThanOrEqual(stats.budgetBytes);
    expect(stats.tasks).toBe(40);
  });

  it('take(n) stops the stream early: later blocks are never made', { timeout: 60_000 }, async () => {
    const ds = data.range(1000, { overrideNumBlocks: 100 });
    expect((await ds.take(5)).map((r) => r.id)).toEqual([0, 1, 2, 3, 4]);
    expect(ds.limit(5).stats()).toBeUndefined();
    const limited = ds.limit(15);
    expect(await limited.count()).toBe(15);
    expect(limited.stats()!.blocksOut).toBe(2);
  });
});

describe('mapBatches on an actor pool', () => {
  it('constructs each actor once and spreads batches over `concurrency` actors', { timeout: 120_000 }, async () => {
    class AddOffset {
      offset: number;
      instance: number;
      constructor(offset: number) {
        const g = globalThis as { constructions?: number };
        g.constructions = (g.constructions ?? 0) + 1;
        this.offset = offset;
        this.instance = Math.random();
      }
      call(batch: Record<string, Float64Array>) {
        const n = batch.id!.length;
        return {
          id: batch.id!.map((x) => x + this.offset),
          instance: new Array(n).fill(this.instance),
          constructionsInWorker: new Array(n).fill((globalThis as { constructions?: number }).constructions),
        };
      }
    }
    const ds = data.range(200, { overrideNumBlocks: 20 }).mapBatches(AddOffset, { concurrency: 2, fnConstructorArgs: [1000] });
    const rows = await ds.takeAll();
    expect(rows.map((r) => r.id)).toEqual([...Array(200).keys()].map((i) => i + 1000));
    const instances = new Set(rows.map((r) => r.instance));
    expect(instances.size).toBe(2);
    expect(new Set(rows.map((r) => r.constructionsInWorker))).toEqual(new Set([1]));
    expect(ds.stats()!.actorsStarted).toBe(2);
  });
});

describe('streamingSplit', () => {
  it('two consumers together see every row exactly once', { timeout: 60_000 }, async () => {
    const [a, b] = data.range(1000, { overrideNumBlocks: 10 }).streamingSplit(2);
    const consume = async (it: NonNullable<typeof a>) => {
      const ids: number[] = [];
      for await (const batch of it.iterBatches({ batchSize: 50 })) ids.push(...(batch as Record<string, Float64Array>).id!);
      return ids;
    };
    const [left, right] = await Promise.all([consume(a!), consume(b!)]);
    expect(left.length).toBeGreaterThan(0);
    expect(right.length).toBeGreaterThan(0);
    expect([...left, ...right].sort((x, y) => x - y)).toEqual([...Array(1000).keys()]);
  });

  it('two actors consuming one shard each see every row exactly once', { timeout: 120_000 }, async () => {
    class Trainer {
      // Ray Data loads in a worker when the first DataIterator arrives: both actors take theirs
      // first, so neither has drained the shared queue before the other can ask.
      hold(shard: DataIterator) {
        return shard instanceof Object;
      }
      async consume(shard: DataIterator) {
        const ids: number[] = [];
        for await (const batch of shard.iterBatches({ batchSize: 64 })) ids.push(...(batch as Record<string, Float64Array>).id!);
        return ids;
      }
    }
    const shards = data.range(2000, { overrideNumBlocks: 20 }).map((r) => ({ id: r.id })).streamingSplit(2);
    const trainers = [remote(Trainer).remote(), remote(Trainer).remote()];
    await get(trainers.map((t, i) => t.hold.remote(shards[i]!)));
    const [left, right] = await get(trainers.map((t, i) => t.consume.remote(shards[i]!)));
    expect(left!.length).toBeGreaterThan(0);
    expect(right!.length).toBeGreaterThan(0);
    expect([...left!, ...right!].sort((x, y) => x - y)).toEqual([...Array(2000).keys()]);
  });

  it('a failing upstream reaches every consumer as the error', { timeout: 60_000 }, async () => {
    const [a, b] = data.range(100, { overrideNumBlocks: 4 }).map((r) => {
      if (r.id === 60) throw new Error('bad row 60');
      return r;
    }).streamingSplit(2);
    const drain = async (it: DataIterator) => {
      for await (const _ of it.iterRows()) void _;
    };
    const results = await Promise.allSettled([drain(a!), drain(b!)]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect(String((r as PromiseRejectedResult).reason)).toContain('bad row 60');
    }
  });
});
