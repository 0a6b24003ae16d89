import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cancel,
  get,
  GetTimeoutError,
  init,
  isInitialized,
  nodes,
  onEvent,
  put,
  remote,
  shutdown,
  TaskError,
  wait,
  type ObjectRef,
} from '../../src/index.ts';

declare const raybox: typeof import('../../src/index.ts');

/** The RUNNING and FINISHED events of the tasks named `name`, in the order the page saw them. */
function recordTaskStates(name: string): { stop: () => string[] } {
  const states: string[] = [];
  const stop = onEvent((e) => {
    if (e.type === 'task' && e.name === name && (e.state === 'RUNNING' || e.state === 'FINISHED')) states.push(e.state);
  });
  return {
    stop: () => {
      stop();
      return states;
    },
  };
}

beforeAll(async () => {
  await init({ numWorkers: 2, resources: { special: 1 } });
});
afterAll(async () => {
  await shutdown();
});

describe('remote functions', () => {
  it('runs a task and gets its value', async () => {
    const square = remote((x: number) => x * x);
    expect(isInitialized()).toBe(true);
    expect(await get(square.remote(7))).toBe(49);
  });

  it('keeps order for many tasks', async () => {
    const double = remote((x: number) => 2 * x);
    const refs = Array.from({ length: 2000 }, (_, i) => double.remote(i));
    expect(await get(refs)).toEqual(Array.from({ length: 2000 }, (_, i) => 2 * i));
  });

  it('accepts method shorthand, async functions and named functions', async () => {
    const shorthand = { triple(x: number) { return 3 * x; } }.triple;
    const later = async (x: number) => {
      await new Promise((r) => setTimeout(r, 5));
      return x + 1;
    };
    expect(await get(remote(shorthand).remote(2))).toBe(6);
    expect(await get(remote(later).remote(2))).toBe(3);
  });

  it('replaces a top-level ref by its value and passes a nested ref through', async () => {
    const inspect = remote((value: number, holder: { ref: ObjectRef<number> }) => ({
      value,
      nestedIsRef: holder.ref instanceof raybox.ObjectRef,
    }));
    const ref = put(41);
    expect(await get(inspect.remote(ref, { ref }))).toEqual({ value: 41, nestedIsRef: true });
  });

  it('chains refs between tasks', async () => {
    const inc = remote((x: number) => x + 1);
    let ref = inc.remote(0);
    for (let i = 0; i < 20; i++) ref = inc.remote(ref);
    expect(await get(ref)).toBe(21);
  });

  it('returns several objects with numReturns', async () => {
    const split = remote((a: number) => [a, a * 2, a * 3]).options({ numReturns: 3 });
    const refs = split.remote(5);
    expect(refs).toHaveLength(3);
    expect(await get(refs)).toEqual([5, 10, 15]);
  });

  it('fails clearly when a task returns fewer values than numReturns', async () => {
    const short = remote(function short() {
      return [1];
    }).options({ numReturns: 2 });
    await expect(get(short.remote()[0] as ObjectRef)).rejects.toThrow(/numReturns: 2/);
  });

  it('streams the yields of an async generator as refs', async () => {
    const count = remote(async function* count(n: number) {
      for (let i = 0; i < n; i++) {
        await new Promise((r) => setTimeout(r, 2));
        yield i * i;
      }
    });
    const values: number[] = [];
    for await (const ref of count.remote(5)) values.push(await get(ref));
    expect(values).toEqual([0, 1, 4, 9, 16]);
  });

  it('ends a stream with the error of a failing generator', async () => {
    const broken = remote(async function* broken() {
      yield 1;
      throw new Error('stream broke');
    });
    const seen: number[] = [];
    const error = await (async () => {
      for await (const ref of broken.remote()) seen.push(await get(ref));
    })().catch((e: unknown) => e);
    expect(seen).toEqual([1]);
    expect(String(error)).toMatch(/stream broke/);
  });

  it('submits nested tasks from inside a task', async () => {
    const leaf = remote((x: number) => x * 10);
    const parent = remote(async (xs: number[]) => {
      const child = raybox.remote((x: number) => x * 10);
      return raybox.get(xs.map((x) => child.remote(x)));
    });
    expect(await get(parent.remote([1, 2, 3]))).toEqual([10, 20, 30]);
    expect(await get(leaf.remote(1))).toBe(10);
  });

  it('does not deadlock when a task waits for its children on a small pool', async () => {
    const fib = remote(async function fib(n: number): Promise<number> {
      if (n < 2) return n;
      const self = raybox.remote(fib);
      const [a, b] = await raybox.get([self.remote(n - 1), self.remote(n - 2)]);
      return (a as number) + (b as number);
    });
    expect(await get(fib.remote(8))).toBe(21);
  });

  it('rethrows the remote error as a TaskError with the remote stack', async () => {
    const boom = remote(function boom() {
      throw new RangeError('too far');
    });
    const error = await get(boom.remote()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskError);
    const taskError = error as TaskError;
    expect(taskError.name).toBe('TaskError');
    expect(taskError.remoteName).toBe('RangeError');
    expect(taskError.remoteMessage).toBe('too far');
    expect(taskError.remoteStack).toMatch(/boom/);
    expect(taskError.taskName).toBe('boom');
    expect(taskError.nodeId).toBe(nodes()[0]?.nodeId);
  });

  it('fails a task whose argument failed, with that error', async () => {
    const boom = remote(function boom(): number {
      throw new Error('upstream');
    });
    const inc = remote((x: number) => x + 1);
    await expect(get(inc.remote(boom.remote()))).rejects.toThrow(/upstream/);
  });

  it('explains a function that touches a variable of the code that defined it', async () => {
    const outside = 5;
    const leaky = remote(function leaky() {
      return outside * 2;
    });
    const error = (await get(leaky.remote()).catch((e: unknown) => e)) as TaskError;
    expect(error.remoteName).toBe('ReferenceError');
    expect(error.remoteMessage).toMatch(/'outside' is not defined inside the remote function 'leaky'/);
    expect(error.remoteMessage).toMatch(/leaky\.remote\(outside\)/);
  });

  it('moves typed arrays intact both ways', async () => {
    const reverse = remote((a: Float64Array) => a.slice().reverse());
    const input = Float64Array.from({ length: 100_000 }, (_, i) => i);
    const out = await get(reverse.remote(input));
    expect(out).toBeInstanceOf(Float64Array);
    expect(out[0]).toBe(99_999);
    expect(out[99_999]).toBe(0);
  });
});

describe('objects', () => {
  it('put copies, so later changes do not reach the store', async () => {
    const array = new Int32Array([1, 2, 3]);
    const ref = put(array);
    array[0] = 100;
    expect(Array.from(await get(ref))).toEqual([1, 2, 3]);
  });

  it('get times out with GetTimeoutError', async () => {
    const never = remote(() => new Promise(() => undefined));
    const ref = never.remote();
    const error = await get(ref, { timeout: 0.05 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GetTimeoutError);
    expect(String(error)).toMatch(/wait\(\)/);
    cancel(ref, { force: true }); // frees its worker for the tests that follow
  });

  it('wait returns the ready refs first in input order and honours its timeout', async () => {
    const never = remote(() => new Promise(() => undefined));
    const soon = remote((x: number) => x);
    const refs = [never.remote(), soon.remote(1), put('now')];
    await get(refs[1] as ObjectRef);
    const { ready, notReady } = await wait(refs, { numReturns: 3, timeout: 0.05 });
    expect(ready.map((r) => r.id)).toEqual([refs[1], refs[2]].map((r) => r?.id));
    expect(notReady.map((r) => r.id)).toEqual([refs[0]?.id]);
    cancel(refs[0] as ObjectRef, { force: true });
  });
});

describe('resources and scheduling', () => {
  it('runs at most one task at a time of a resource the node has one of', async () => {
    const order = recordTaskStates('special');
    const probe = remote(() => new Promise((r) => setTimeout(r, 30)), { name: 'special' }).options({ resources: { special: 1 } });
    await get([probe.remote(), probe.remote(), probe.remote()]);
    // Each task holds the one 'special' from RUNNING to FINISHED: never two RUNNING in a row.
    expect(order.stop()).toEqual(['RUNNING', 'FINISHED', 'RUNNING', 'FINISHED', 'RUNNING', 'FINISHED']);
  });

  it('runs tasks on two workers at once when it can', async () => {
    const order = recordTaskStates('meet');
    // Each task returns only once the other has started: they finish only if they ran at once.
    const meet = remote(
      (me: string, other: string) =>
        new Promise<string>((resolve) => {
          const channel = new BroadcastChannel('tasks-test-meet');
          channel.onmessage = (e: MessageEvent<string>) => {
            if (e.data !== other) return;
            channel.postMessage(me);
            channel.close();
            resolve(me);
          };
          channel.postMessage(me);
        }),
      { name: 'meet' },
    );
    expect(await get([meet.remote('a', 'b'), meet.remote('b', 'a')])).toEqual(['a', 'b']);
    expect(order.stop()).toEqual(['RUNNING', 'RUNNING', 'FINISHED', 'FINISHED']);
  });

  it('places a task by node affinity and fails a hard affinity to an unknown node', async () => {
    const nodeId = nodes()[0]!.nodeId;
    const f = remote(() => 'here');
    expect(await get(f.options({ schedulingStrategy: { nodeId, soft: false } }).remote())).toBe('here');
    expect(await get(f.options({ schedulingStrategy: { nodeId: 'nowhere', soft: true } }).remote())).toBe('here');
    await expect(get(f.options({ schedulingStrategy: { nodeId: 'nowhere', soft: false } }).remote())).rejects.toThrow(/nowhere/);
  });

  it('lets an infeasible task wait, and wait() reports it not ready instead of hanging', async () => {
    const big = remote(() => 1).options({ numCpus: 64 });
    const ref = big.remote();
    const { ready, notReady } = await wait([ref], { timeout: 0.2 });
    expect(ready).toEqual([]);
    expect(notReady).toEqual([ref]);
  });
});
