/**
 * `serve.batch` in replicas: the sizes the function sees, a lone caller flushed by the timeout,
 * results matched back to their callers, and an item's error failing only its caller.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, serve, shutdown } from '../../src/index.ts';

declare const raybox: typeof import('../../src/index.ts');

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await serve.shutdown();
  await shutdown();
});

describe('serve.batch', () => {
  it('hands a class method lists of up to maxBatchSize and matches results to callers', { timeout: 60_000 }, async () => {
    const Model = serve.deployment(
      class Model {
        sizes: number[] = [];
        classify = raybox.serve.batch(
          async (texts: string[]) => {
            this.sizes.push(texts.length);
            return texts.map((t) => `${t}:${texts.length}`);
          },
          // A long wait: only a full batch flushes these.
          { maxBatchSize: 10, batchWaitTimeoutS: 30 },
        );
        seen() {
          return this.sizes;
        }
      },
      { maxOngoingRequests: 20 },
    );
    const model = await serve.run(Model.bind(), { http: false, name: 'model' });
    const inputs = Array.from({ length: 20 }, (_, i) => `t${i}`);
    const results = await Promise.all(inputs.map((t) => model.classify.remote(t)));
    expect(results).toEqual(inputs.map((t) => `${t}:10`));
    expect(await model.seen.remote()).toEqual([10, 10]);
  });

  it('flushes a single caller after batchWaitTimeoutS', { timeout: 60_000 }, async () => {
    const Lonely = serve.deployment(serve.batch(async (xs: number[]) => xs.map((x) => [x, xs.length]), { maxBatchSize: 10, batchWaitTimeoutS: 0.05 }));
    const lonely = await serve.run(Lonely.bind(), { http: false, name: 'lonely' });
    expect(await lonely.remote(7)).toEqual([7, 1]);
  });

  it('fails only the caller whose item came back as an Error', { timeout: 60_000 }, async () => {
    const Picky = serve.deployment(
      serve.batch(async (xs: number[]) => xs.map((x) => (x < 0 ? new RangeError(`bad item ${x}`) : x * 10)), { maxBatchSize: 3, batchWaitTimeoutS: 30 }),
      { maxOngoingRequests: 3 },
    );
    const picky = await serve.run(Picky.bind(), { http: false, name: 'picky' });
    const [a, b, c] = await Promise.allSettled([picky.remote(1), picky.remote(-2), picky.remote(3)]);
    expect(a).toEqual({ status: 'fulfilled', value: 10 });
    expect(b?.status).toBe('rejected');
    expect(String((b as PromiseRejectedResult).reason)).toMatch(/bad item -2/);
    expect(c).toEqual({ status: 'fulfilled', value: 30 });
  });
});
