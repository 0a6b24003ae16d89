import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../support/debug-on-failure.ts';
import {
  cancel,
  get,
  init,
  objectStoreStats,
  onEvent,
  remote,
  shutdown,
  TaskCancelledError,
  TaskError,
  wait,
  WorkerCrashedError,
  type ActorHandle,
  type RayboxEvent,
} from '../../src/index.ts';

declare const raybox: typeof import('../../src/index.ts');

type TaskEvent = Extract<RayboxEvent, { type: 'task' }>;

/** Resolves with the first task event that `matches`, however long it takes (the test's timeout bounds it). */
function nextTaskEvent(matches: (event: TaskEvent) => boolean): Promise<TaskEvent> {
  return new Promise((resolve) => {
    const stop = onEvent((event) => {
      if (event.type !== 'task' || !matches(event)) return;
      stop();
      resolve(event);
    });
  });
}

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await shutdown();
});

/** Counts attempts across workers: a task can ask how many times it has run. */
class Attempts {
  n = 0;
  next() {
    return ++this.n;
  }
}

describe('worker failures', () => {
  it('retries a task whose worker closes itself, on a fresh worker', async () => {
    const attempts = remote(Attempts).remote();
    const flaky = remote(async (counter: ActorHandle<Attempts>) => {
      const n = await raybox.get(counter.next.remote());
      if (n < 3) self.close();
      return n;
    });
    expect(await get(flaky.remote(attempts))).toBe(3);
  });

  it('fails with WorkerCrashedError once maxRetries is spent', async () => {
    const doomed = remote(function doomed() {
      self.close();
    }).options({ maxRetries: 1 });
    const error = await get(doomed.remote()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerCrashedError);
    expect(String(error)).toMatch(/doomed/);
    expect(String(error)).toMatch(/maxRetries/);
  });

  it('gives back the refs a dead worker held: objects only it kept are freed', async () => {
    class Keeper {
      kept: unknown[] = [];
      keep() {
        this.kept.push(raybox.put(new Float64Array(1000)));
        return this.kept.length;
      }
      crash() {
        self.close();
      }
    }
    // Bytes, not counts: the calls' own small results come and go with the page's garbage collector.
    const baseline = objectStoreStats().bytes;
    const keeper = remote(Keeper).remote();
    await get([keeper.keep.remote(), keeper.keep.remote()]);
    expect(objectStoreStats().bytes).toBeGreaterThanOrEqual(baseline + 16_000);
    await get(keeper.crash.remote()).catch(() => undefined);
    // Released once the head learns the worker died; the test's timeout bounds the wait.
    while (objectStoreStats().bytes >= baseline + 8_000) await new Promise((r) => setTimeout(r, 20));
    expect(objectStoreStats().bytes).toBeLessThan(baseline + 8_000);
  });

  it('replaces dead workers so later tasks still run', async () => {
    const ok = remote((x: number) => x + 1);
    expect(await get([ok.remote(1), ok.remote(2), ok.remote(3)])).toEqual([2, 3, 4]);
  });

  it('retries application errors only with retryExceptions', async () => {
    const attempts = remote(Attempts).remote();
    const shaky = remote(async (counter: ActorHandle<Attempts>) => {
      const n = await raybox.get(counter.next.remote());
      if (n < 2) throw new TypeError('first try fails');
      return n;
    });
    await expect(get(shaky.remote(attempts))).rejects.toBeInstanceOf(TaskError);
    const again = remote(Attempts).remote();
    expect(await get(shaky.options({ retryExceptions: ['TypeError'] }).remote(again))).toBe(2);
    const other = remote(Attempts).remote();
    await expect(get(shaky.options({ retryExceptions: ['RangeError'] }).remote(other))).rejects.toThrow(/first try fails/);
  });
});

describe('cancel', () => {
  it('never runs a cancelled pending task', async () => {
    const attempts = remote(Attempts).remote();
    const blocker = remote(() => new Promise((r) => setTimeout(r, 300))).options({ numCpus: 2 });
    const counted = remote(async (counter: ActorHandle<Attempts>) => raybox.get(counter.next.remote()));
    const b = blocker.remote();
    const pending = counted.remote(attempts);
    cancel(pending);
    await expect(get(pending)).rejects.toBeInstanceOf(TaskCancelledError);
    await get(b);
    expect(await get(attempts.next.remote())).toBe(1);
  });

  it('lets a running task see raybox.cancelled() and stop', async () => {
    const loop = remote(async () => {
      for (let i = 0; i < 1000; i++) {
        if (raybox.cancelled()) return 'stopped';
        await new Promise((r) => setTimeout(r, 5));
      }
      return 'ran to the end';
    });
    const ref = loop.remote();
    await new Promise((r) => setTimeout(r, 50));
    cancel(ref);
    await expect(get(ref)).rejects.toBeInstanceOf(TaskCancelledError);
  });

  it('terminates the worker of a task that never checks, with force', async () => {
    const spin = remote(() => {
      const end = Date.now() + 60_000;
      while (Date.now() < end) {
        /* busy */
      }
      return 'never';
    });
    const ref = spin.remote();
    await new Promise((r) => setTimeout(r, 100));
    cancel(ref, { force: true });
    await expect(get(ref)).rejects.toBeInstanceOf(TaskCancelledError);
    const ok = remote(() => 'alive');
    expect(await get([ok.remote(), ok.remote()])).toEqual(['alive', 'alive']);
  });

  it('cancels the tasks a cancelled task submitted', async () => {
    const parent = remote(async () => {
      const child = raybox.remote(() => new Promise(() => undefined), { name: 'child' });
      return raybox.get(child.remote());
    });
    const childRunning = nextTaskEvent((e) => e.name === 'child' && e.state === 'RUNNING');
    const ref = parent.remote();
    const { taskId: childId } = await childRunning;
    const childCancelled = nextTaskEvent((e) => e.taskId === childId && e.state === 'CANCELLED');
    cancel(ref, { force: true });
    await expect(get(ref)).rejects.toBeInstanceOf(TaskCancelledError);
    await childCancelled;
    expect(await get(remote(() => 1).remote())).toBe(1);
  });
});

describe('events', () => {
  it('streams every state of a task, timestamped, with node and worker', async () => {
    const events: RayboxEvent[] = [];
    const stop = onEvent((e) => events.push(e));
    const named = remote((x: number) => x, { name: 'traced' });
    await get(named.remote(1));
    stop();
    const states = events.filter((e) => e.type === 'task' && e.name === 'traced');
    expect(states.map((e) => (e.type === 'task' ? e.state : ''))).toEqual(['PENDING_ARGS', 'PENDING_NODE', 'RUNNING', 'FINISHED']);
    for (const e of states) expect(e.time).toBeGreaterThan(1.6e12);
    const finished = states.at(-1);
    expect(finished?.type === 'task' && finished.nodeId && finished.workerId).toBeTruthy();
    expect(events.some((e) => e.type === 'object' && e.change === 'created')).toBe(true);
  });

  it('forwards what a task logs, attributed to it', async () => {
    const events: RayboxEvent[] = [];
    const stop = onEvent((e) => events.push(e));
    await get(remote(() => console.log('hello from', 42), { name: 'talker' }).remote());
    stop();
    const log = events.find((e) => e.type === 'log');
    expect(log?.type === 'log' && log.text).toBe('hello from 42');
    expect(log?.type === 'log' && log.name).toBe('talker');
  });

  it('attributes a log line to its task after the task awaited something', async () => {
    const events: RayboxEvent[] = [];
    const stop = onEvent((e) => events.push(e));
    const later = remote(
      async () => {
        await new Promise((r) => setTimeout(r, 10));
        console.log('after the await');
      },
      { name: 'patient' },
    );
    await get(later.remote());
    stop();
    const log = events.find((e) => e.type === 'log' && e.text === 'after the await');
    expect(log?.type === 'log' && log.name).toBe('patient');
  });

  it('announces RUNNING once, while a long synchronous task still runs', async () => {
    const events: RayboxEvent[] = [];
    const stop = onEvent((e) => events.push(e));
    const busy = remote(
      () => {
        for (;;) {
          /* busy until cancelled with force */
        }
      },
      { name: 'busy' },
    );
    const running = nextTaskEvent((e) => e.name === 'busy' && e.state === 'RUNNING');
    const ref = busy.remote();
    await running;
    const { notReady } = await wait([ref], { timeout: 0 });
    expect(notReady).toEqual([ref]);
    cancel(ref, { force: true });
    await expect(get(ref)).rejects.toBeInstanceOf(TaskCancelledError);
    stop();
    expect(events.filter((e) => e.type === 'task' && e.name === 'busy').map((e) => (e.type === 'task' ? e.state : ''))).toEqual(['PENDING_ARGS', 'PENDING_NODE', 'RUNNING', 'CANCELLED']);
  });

  it('says why an infeasible task waits', async () => {
    const infeasible = nextTaskEvent((e) => e.infeasible !== undefined);
    const ref = remote(() => 1, { resources: { unicorn: 1 } }).remote();
    expect((await infeasible).infeasible).toMatch(/unicorn: 1/);
    cancel(ref);
  });
});
