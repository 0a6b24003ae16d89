import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../support/debug-on-failure.ts';
import { ActorDiedError, get, getActor, init, kill, remote, RayboxUsageError, shutdown, type ActorHandle } from '../../src/index.ts';

declare const raybox: typeof import('../../src/index.ts');

beforeAll(async () => {
  await init({ numWorkers: 1 });
});
afterAll(async () => {
  await shutdown();
});

class Counter {
  count: number;
  constructor(start = 0) {
    this.count = start;
  }
  increment(by = 1) {
    this.count += by;
    return this.count;
  }
  read() {
    return this.count;
  }
  active = 0;
  mostActive = 0;
  async overlap(ms: number) {
    this.active++;
    this.mostActive = Math.max(this.mostActive, this.active);
    await new Promise((r) => setTimeout(r, ms));
    this.active--;
    return this.mostActive;
  }
}

describe('actors', () => {
  it('keeps state and runs calls in submission order', async () => {
    const counter = remote(Counter).remote(10);
    const refs = Array.from({ length: 50 }, () => counter.increment.remote());
    expect(await get(refs)).toEqual(Array.from({ length: 50 }, (_, i) => 11 + i));
    expect(await get(counter.read.remote())).toBe(60);
  });

  it('runs more actors than there are workers, each in a worker of its own', async () => {
    const Box = remote(Counter);
    const boxes = Array.from({ length: 4 }, (_, i) => Box.remote(i));
    expect(await get(boxes.map((b) => b.read.remote()))).toEqual([0, 1, 2, 3]);
  });

  it('interleaves async methods with maxConcurrency', async () => {
    const concurrent = remote(Counter, { maxConcurrency: 4 }).remote(0);
    const serial = remote(Counter).remote(0);
    const most = (c: ActorHandle<Counter>) => get([1, 2, 3, 4, 5, 6].map(() => c.overlap.remote(20)));
    expect(Math.max(...(await most(concurrent)))).toBe(4);
    expect(Math.max(...(await most(serial)))).toBe(1);
  });

  it('throws at once for a method the actor does not have', () => {
    const counter = remote(Counter).remote() as unknown as ActorHandle<{ missing(): void }>;
    expect(() => counter.missing.remote()).toThrow(RayboxUsageError);
    expect(() => counter.missing.remote()).toThrow(/increment, read, overlap/);
  });

  it('finds a named actor with getActor, in the page and in a task', async () => {
    const tracker = remote(Counter).options({ name: 'tracker' }).remote(0);
    await get(tracker.increment.remote(5));
    expect(await get(getActor<Counter>('tracker').read.remote())).toBe(5);
    const bump = remote(async () => {
      const t = raybox.getActor<{ increment(n: number): number }>('tracker');
      return raybox.get(t.increment.remote(2));
    });
    expect(await get(bump.remote())).toBe(7);
    expect(() => getActor('nobody')).toThrow(/No live actor is named 'nobody'.*tracker/s);
    kill(tracker);
  });

  it('passes handles into tasks and other actors', async () => {
    const counter = remote(Counter).remote(0);
    const useHandle = remote(async (c: ActorHandle<Counter>) => raybox.get(c.increment.remote(3)));
    expect(await get(useHandle.remote(counter))).toBe(3);
    class Forwarder {
      target: ActorHandle<Counter>;
      constructor(target: ActorHandle<Counter>) {
        this.target = target;
      }
      async bump() {
        return raybox.get(this.target.increment.remote(10));
      }
    }
    const forwarder = remote(Forwarder).remote(counter);
    expect(await get(forwarder.bump.remote())).toBe(13);
  });

  it('fails calls after kill with ActorDiedError', async () => {
    const counter = remote(Counter).remote(0);
    expect(await get(counter.increment.remote())).toBe(1);
    kill(counter);
    const error = await get(counter.read.remote()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActorDiedError);
    expect(String(error)).toMatch(/killed/);
  });

  it('reports a constructor that throws as the actor dying', async () => {
    class Broken {
      constructor() {
        throw new Error('bad config');
      }
      ping() {
        return 'pong';
      }
    }
    const broken = remote(Broken).remote();
    await expect(get(broken.ping.remote())).rejects.toThrow(/bad config/);
  });

  it('restarts an actor whose worker dies when maxRestarts allows, running the constructor again', async () => {
    class Fragile {
      calls = 0;
      ping() {
        return ++this.calls;
      }
      crash() {
        self.close();
      }
    }
    const fragile = remote(Fragile, { maxRestarts: 1 }).remote();
    expect(await get(fragile.ping.remote())).toBe(1);
    expect(await get(fragile.ping.remote())).toBe(2);
    await get(fragile.crash.remote()).catch(() => undefined);
    // A fresh instance: state starts over.
    expect(await get(fragile.ping.remote())).toBe(1);
    await get(fragile.crash.remote()).catch(() => undefined);
    await expect(get(fragile.ping.remote())).rejects.toBeInstanceOf(ActorDiedError);
  });

  it('retries a call lost with its worker when maxTaskRetries allows', async () => {
    class CrashOnce {
      async work(flag: ActorHandle<Counter>) {
        const n = await raybox.get(flag.increment.remote());
        if (n === 1) self.close();
        return `done after ${n} attempts`;
      }
    }
    const flag = remote(Counter).remote(0);
    const actor = remote(CrashOnce, { maxRestarts: 1, maxTaskRetries: 1 }).remote();
    expect(await get(actor.work.remote(flag))).toBe('done after 2 attempts');
  });
});
