/**
 * Deployments on real workers: handle calls, replicas spread by the router, composition with
 * unawaited responses, the bounded queue, deletion, and the errors of bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, serve, shutdown, DeploymentDeletedError, ServeConfigError, ServeOverloadedError, TaskError } from '../../src/index.ts';

beforeAll(async () => {
  await init({ numWorkers: 3 });
});
afterAll(async () => {
  await serve.shutdown();
  await shutdown();
});

describe('serve deployments', () => {
  it('answers handle calls of a function and of a class method', { timeout: 60_000 }, async () => {
    const Upper = serve.deployment((text: string) => text.toUpperCase(), { name: 'Upper' });
    const upper = await serve.run(Upper.bind(), { http: false, name: 'upper' });
    expect(await upper.remote('hi')).toBe('HI');

    const Counter = serve.deployment(
      class Counter {
        n: number;
        constructor(start: number) {
          this.n = start;
        }
        add(k: number) {
          this.n += k;
          return this.n;
        }
      },
    );
    const counter = await serve.run(Counter.bind(10), { http: false, name: 'counter' });
    expect(await counter.add.remote(1)).toBe(11);
    expect(await counter.add.remote(2)).toBe(13);
    expect(serve.status().applications.counter).toEqual({
      status: 'RUNNING',
      routePrefix: '/',
      deployments: { Counter: { status: 'RUNNING', numReplicas: 1 } },
    });
  });

  it('spreads requests over its replicas', { timeout: 60_000 }, async () => {
    const Who = serve.deployment(
      class Who {
        id = Math.random().toString(36).slice(2);
        async whoami() {
          await new Promise((r) => setTimeout(r, 20));
          return this.id;
        }
      },
      { numReplicas: 2, maxOngoingRequests: 2 },
    );
    const who = await serve.run(Who.bind(), { http: false, name: 'who' });
    const ids = await Promise.all(Array.from({ length: 12 }, () => who.whoami.remote()));
    expect(new Set(ids).size).toBe(2);
    expect(serve.status().applications.who?.deployments.Who?.numReplicas).toBe(2);
  });

  it('passes an unawaited response into another deployment and composes through handles', { timeout: 60_000 }, async () => {
    const Adder = serve.deployment(
      class Adder {
        add(x: number) {
          return x + 1;
        }
      },
    );
    const Doubler = serve.deployment(
      class Doubler {
        double(x: number) {
          return x * 2;
        }
      },
    );
    const Pipeline = serve.deployment(
      class Pipeline {
        adder: { add: { remote(x: unknown): PromiseLike<number> } };
        doubler: { double: { remote(x: unknown): PromiseLike<number> } };
        constructor(adder: Pipeline['adder'], doubler: Pipeline['doubler']) {
          this.adder = adder;
          this.doubler = doubler;
        }
        async __call__(x: number) {
          // Chaining: the first response goes to the second call unawaited.
          return await this.doubler.double.remote(this.adder.add.remote(x));
        }
      },
    );
    const pipeline = await serve.run(Pipeline.bind(Adder.bind(), Doubler.bind()), { http: false, name: 'pipeline' });
    expect(await pipeline.remote(3)).toBe(8);
    expect(Object.keys(serve.status().applications.pipeline?.deployments ?? {}).sort()).toEqual(['Adder', 'Doubler', 'Pipeline']);

    const adder = await serve.run(Adder.bind(), { http: false, name: 'adder' });
    const doubler = await serve.run(Doubler.bind(), { http: false, name: 'doubler' });
    expect(await doubler.double.remote(adder.add.remote(4))).toBe(10);
  });

  it('queues beyond maxOngoingRequests up to a bound, then refuses with an overload error', { timeout: 60_000 }, async () => {
    const Gate = serve.deployment(
      class Gate {
        async wait(ms: number) {
          await new Promise((r) => setTimeout(r, ms));
          return ms;
        }
      },
      { maxOngoingRequests: 1, maxQueuedRequests: 2 },
    );
    const gate = await serve.run(Gate.bind(), { http: false, name: 'gate' });
    const first = gate.wait.remote(300);
    const queued = [gate.wait.remote(1), gate.wait.remote(2)];
    const refused = gate.wait.remote(3);
    await expect(refused).rejects.toBeInstanceOf(ServeOverloadedError);
    await expect(refused).rejects.toThrow(/overloaded.*maxQueuedRequests/s);
    expect(await first).toBe(300);
    expect(await Promise.all(queued)).toEqual([1, 2]);
  });

  it('rejects with TaskError when the deployment throws, and after delete', { timeout: 60_000 }, async () => {
    const Boom = serve.deployment((x: number) => {
      if (x < 0) throw new RangeError('negative input');
      return x;
    });
    const boom = await serve.run(Boom.bind(), { http: false, name: 'boom' });
    await expect(boom.remote(-1)).rejects.toBeInstanceOf(TaskError);
    await expect(boom.remote(-1)).rejects.toThrow(/negative input/);
    expect(await boom.remote(2)).toBe(2);
    await serve.delete('boom');
    expect(serve.status().applications.boom).toBeUndefined();
    await expect(boom.remote(1)).rejects.toBeInstanceOf(DeploymentDeletedError);
  });

  it('refuses bad input with errors that say what to do', { timeout: 60_000 }, async () => {
    const f = (x: number) => x;
    expect(() => serve.deployment(f, { numReplicas: 0 })).toThrow(ServeConfigError);
    expect(() => serve.deployment(f, { numReplicas: 0 })).toThrow(/numReplicas must be an integer ≥ 1/);
    expect(() => serve.batch(async (xs: number[]) => xs, { maxBatchSize: 0 })).toThrow(/maxBatchSize must be an integer ≥ 1/);
    const D = serve.deployment(f, { name: 'D' });
    expect(() => D.bind(D)).toThrow(/is a deployment, not an application.*D\.bind/);
    await expect(serve.run(D as never)).rejects.toThrow(/Call D\.bind\(\.\.\.\) first/);
    await expect(serve.run(42 as never)).rejects.toBeInstanceOf(ServeConfigError);
  });
});
