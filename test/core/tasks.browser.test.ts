import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, init, put, remote, shutdown, TaskError, wait } from '../../src/index.ts';

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await shutdown();
});

describe('remote functions', () => {
  it('runs a task and gets its value', async () => {
    const square = remote((x: number) => x * x);
    expect(await get(square.remote(7))).toBe(49);
  });

  it('keeps order for many tasks', async () => {
    const double = remote((x: number) => 2 * x);
    const refs = Array.from({ length: 500 }, (_, i) => double.remote(i));
    expect(await get(refs)).toEqual(Array.from({ length: 500 }, (_, i) => 2 * i));
  });

  it('passes refs between tasks', async () => {
    const inc = remote((x: number) => x + 1);
    const a = inc.remote(1);
    const b = inc.remote(a);
    expect(await get(b)).toBe(3);
  });

  it('rethrows the remote error as a TaskError with the remote stack', async () => {
    const boom = remote(function boom() {
      throw new RangeError('too far');
    });
    const error = await get(boom.remote()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskError);
    expect((error as TaskError).remoteName).toBe('RangeError');
    expect((error as TaskError).remoteMessage).toBe('too far');
    expect((error as TaskError).taskName).toBe('boom');
  });

  it('puts and waits', async () => {
    const ref = put({ a: 1 });
    const { ready, notReady } = await wait([ref], { numReturns: 1 });
    expect(ready).toEqual([ref]);
    expect(notReady).toEqual([]);
    expect(await get(ref)).toEqual({ a: 1 });
  });
});
