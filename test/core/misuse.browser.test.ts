import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, init, put, remote, RayboxUsageError, shutdown, wait, kill, getActor, cancel, type ObjectRef } from '../../src/index.ts';

beforeAll(async () => {
  await init({ numWorkers: 1 });
});
afterAll(async () => {
  await shutdown();
});

/** Calls `fn` expecting a RayboxUsageError whose message matches `pattern`. */
async function expectUsageError(fn: () => unknown, pattern: RegExp): Promise<void> {
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(RayboxUsageError);
  expect(String(error)).toMatch(pattern);
}

describe('misuse gets an error that names the mistake and the fix', () => {
  it('get of something that is not a ref', async () => {
    await expectUsageError(() => get(42 as unknown as ObjectRef), /Use f\.remote\(\.\.\.\) to get a ref/);
    await expectUsageError(() => get([put(1), 'x'] as unknown as ObjectRef[]), /item 1 is "x"/);
  });

  it('remote of a non-function', async () => {
    await expectUsageError(() => remote(3 as unknown as () => void), /remote\(\) takes a function or a class, got 3/);
    await expectUsageError(() => remote(Math.max), /built-in or bound function/);
  });

  it('unknown or ill-typed options', async () => {
    const f = remote(() => 1);
    await expectUsageError(() => f.options({ numCpus: -1 }), /numCpus must be a number ≥ 0, got -1/);
    await expectUsageError(() => f.options({ numReturns: 0 }), /numReturns must be an integer ≥ 1, got 0/);
    await expectUsageError(() => f.options({ numCPUs: 1 } as never), /unknown option 'numCPUs'.*numCpus/);
    await expectUsageError(() => f.options({ schedulingStrategy: 'FAST' } as never), /'DEFAULT', 'SPREAD' or \{ nodeId, soft \}/);
    await expectUsageError(() => f.options({ resources: { CPU: 2 } }), /request CPU with numCpus/);
  });

  it('values that cannot be cloned into a worker', async () => {
    const f = remote((x: unknown) => x);
    await expectUsageError(() => f.remote({ callback: () => 1 }), /Argument 1 of 'anonymous' at \.callback is a function/);
    await expectUsageError(() => f.remote([document.body]), /at \[0\] is a DOM node/);
    await expectUsageError(() => put(Promise.resolve(1)), /Promise.*Await it first/);
  });

  it('a task that returns something that cannot travel fails with the reason', async () => {
    const returnsFunction = remote(function returnsFunction() {
      return { f: () => 1 };
    });
    await expect(get(returnsFunction.remote())).rejects.toThrow(/The value returned by 'returnsFunction' at \.f is a function/);
  });

  it('wait with a bad numReturns or timeout', async () => {
    const ref = put(1);
    await expectUsageError(() => wait([ref], { numReturns: 2 }), /numReturns must be an integer from 0 to the number of refs \(1\)/);
    await expectUsageError(() => wait([ref], { timeout: -1 }), /timeout is in seconds/);
    await expectUsageError(() => wait([ref, ref]), /same ref twice/);
  });

  it('kill, cancel and getActor of the wrong thing', async () => {
    await expectUsageError(() => kill({}), /kill\(\) takes an actor handle/);
    await expectUsageError(() => cancel('t1' as unknown as ObjectRef), /cancel\(\) takes the ObjectRef/);
    await expectUsageError(() => getActor(''), /getActor\(\) takes the name/);
  });

  it('a duplicate actor name', async () => {
    class A {
      ping() {
        return 1;
      }
    }
    const first = remote(A).options({ name: 'only' }).remote();
    await expectUsageError(() => remote(A).options({ name: 'only' }).remote(), /already exists.*getActor\('only'\)/);
    kill(first);
  });
});
