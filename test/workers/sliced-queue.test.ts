import { describe, expect, it } from 'vitest';
import { SlicedQueue } from '../../src/workers/host/sliced-queue.ts';

/**
 * A queue on a fake clock and fake turns: each consumed item advances the clock by 1 ms, and a
 * yielded rest waits in `turns` until the test runs it, so what happens per macrotask is exact.
 */
function setup(options: { chunk?: number; budgetMs?: number } = {}) {
  let clock = 0;
  const turns: (() => void)[] = [];
  const consumed: { owner: string; items: number[]; turn: number }[] = [];
  let turn = 0;
  const queue = new SlicedQueue<string, number>(
    (owner, items) => {
      consumed.push({ owner, items: [...items], turn });
      clock += items.length;
    },
    { chunk: options.chunk ?? 10, budgetMs: options.budgetMs ?? 25, now: () => clock, yieldTurn: (next) => turns.push(next) },
  );
  const runTurn = () => {
    turn++;
    turns.shift()?.();
  };
  const all = (owner?: string) => consumed.filter((c) => owner === undefined || c.owner === owner).flatMap((c) => c.items);
  return { queue, turns, consumed, runTurn, all };
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('SlicedQueue (a worker’s replies handled in bounded slices)', () => {
  it('consumes a small push at once, in the caller’s turn', () => {
    const { queue, consumed, turns } = setup();
    queue.push('w0', [1, 2, 3]);
    expect(consumed).toEqual([{ owner: 'w0', items: [1, 2, 3], turn: 0 }]);
    expect(turns).toHaveLength(0);
    expect(queue.pending).toBe(0);
  });

  it('consumes what the consumer pushes while it handles a small push right after it, in the same turn', () => {
    const consumed: number[][] = [];
    const queue: SlicedQueue<string, number> = new SlicedQueue<string, number>(
      (_owner, items) => {
        consumed.push([...items]);
        if (items[0] === 1) queue.push('w1', [2, 3]);
      },
      { yieldTurn: () => expect.unreachable('nothing should wait for another turn') },
    );
    queue.push('w0', [1]);
    expect(consumed).toEqual([[1], [2, 3]]);
    expect(queue.pending).toBe(0);
  });

  it('stops a turn once the budget is spent, and finishes everything in later turns, in order', () => {
    const { queue, runTurn, turns, consumed, all } = setup({ chunk: 10, budgetMs: 25 });
    queue.push('w0', range(0, 100));
    // 10 + 10 + 10 items = 30 ms ≥ 25: three chunks in the first turn, then a yield.
    expect(all()).toEqual(range(0, 30));
    expect(turns).toHaveLength(1);
    expect(queue.pending).toBe(70);
    while (turns.length > 0) runTurn();
    expect(all()).toEqual(range(0, 100));
    expect(queue.pending).toBe(0);
    // No turn consumed more than its budget allows (the chunk that crosses it is the last).
    const perTurn = new Map<number, number>();
    for (const c of consumed) perTurn.set(c.turn, (perTurn.get(c.turn) ?? 0) + c.items.length);
    expect([...perTurn.values()].every((n) => n <= 30)).toBe(true);
    expect(perTurn.size).toBe(4);
  });

  it('queues what arrives while a rest is pending behind it, across owners', () => {
    const { queue, runTurn, turns, all } = setup({ chunk: 10, budgetMs: 15 });
    queue.push('w0', range(0, 50));
    queue.push('w1', range(1000, 5));
    queue.push('w0', range(50, 5));
    expect(all()).toEqual(range(0, 20));
    while (turns.length > 0) runTurn();
    expect(all()).toEqual([...range(0, 50), ...range(1000, 5), ...range(50, 5)]);
  });

  it('completes 100,000 items pushed as 400 envelopes, each exactly once and in order', () => {
    const { queue, runTurn, turns, all } = setup({ chunk: 128, budgetMs: 8 });
    for (let e = 0; e < 400; e++) queue.push(`w${e % 2}`, range(e * 250, 250));
    while (turns.length > 0) runTurn();
    expect(all()).toEqual(range(0, 100_000));
    expect(queue.pending).toBe(0);
  });

  it('drain: a dead worker’s pending items are consumed at once; other owners keep their place', () => {
    const { queue, runTurn, turns, all } = setup({ chunk: 10, budgetMs: 5 });
    queue.push('w0', range(0, 30));
    queue.push('w1', range(100, 10));
    queue.push('w0', range(30, 10));
    expect(all()).toEqual(range(0, 10));
    queue.drain('w0');
    expect(all('w0')).toEqual(range(0, 40));
    expect(all('w1')).toEqual([]);
    while (turns.length > 0) runTurn();
    expect(all('w1')).toEqual(range(100, 10));
    expect(queue.pending).toBe(0);
  });

  it('drop: a stopped worker’s pending items are forgotten', () => {
    const { queue, runTurn, turns, all } = setup({ chunk: 10, budgetMs: 5 });
    queue.push('w0', range(0, 30));
    queue.push('w1', range(100, 10));
    queue.drop('w0');
    while (turns.length > 0) runTurn();
    expect(all('w0')).toEqual(range(0, 10));
    expect(all('w1')).toEqual(range(100, 10));
  });

  it('a consumer that throws loses its slice only: the rest is still consumed', async () => {
    const seen: number[] = [];
    const errors: unknown[] = [];
    const queue = new SlicedQueue<string, number>(
      (_, items) => {
        if (items.includes(3)) throw new Error('bad slice');
        seen.push(...items);
      },
      { chunk: 2, budgetMs: 1000, now: () => 0, yieldTurn: () => undefined },
    );
    const onError = (error: unknown) => errors.push(error);
    process.on('uncaughtException', onError);
    try {
      queue.push('w0', range(0, 6));
      await new Promise((resolve) => setTimeout(resolve, 0));
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(seen).toEqual([0, 1, 4, 5]);
    expect(errors).toHaveLength(1);
  });

  it('yields through a real macrotask by default and still finishes', async () => {
    let clock = 0;
    const seen: number[] = [];
    const queue = new SlicedQueue<string, number>(
      (_, items) => {
        seen.push(...items);
        clock += 10;
      },
      { chunk: 1, budgetMs: 5, now: () => clock },
    );
    queue.push('w0', range(0, 5));
    expect(seen).toEqual([0]);
    for (let i = 0; i < 50 && seen.length < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(range(0, 5));
  });
});
