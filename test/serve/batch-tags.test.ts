/** serve.batch's tags: the batch each followed request joined is reported; untagged calls report none. */
import { afterEach, describe, expect, it } from 'vitest';
import { makeBatcher, observeBatches, withCallTag } from '../../src/serve/batch.ts';

afterEach(() => observeBatches(undefined));

describe('batch tags', () => {
  it('reports the tags of the items a batch ran, and none for calls made without one', async () => {
    const seen: [number, number[] | undefined][] = [];
    observeBatches((size, tags) => seen.push([size, tags]));
    const double = makeBatcher(async (xs: number[]) => xs.map((x) => x * 2), { maxBatchSize: 3, batchWaitTimeoutS: 10 });
    const tagged = await Promise.all([withCallTag(7, () => double(1)), double(2), withCallTag(9, () => double(3))]);
    const plain = await Promise.all([double(4), double(5), double(6)]);
    expect([tagged, plain]).toEqual([[2, 4, 6], [8, 10, 12]]);
    expect(seen).toEqual([
      [3, [7, 9]],
      [3, undefined],
    ]);
  });
});
