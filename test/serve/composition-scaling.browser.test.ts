/**
 * Composition under autoscaling: the load one deployment sends another through a handle counts
 * for the other's autoscaler, and the handle inside the caller's replica reaches the replicas
 * added since the application started. States are awaited, never durations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, serve, shutdown } from '../../src/index.ts';

beforeAll(async () => {
  await init({ numWorkers: 3 });
});
afterAll(async () => {
  await serve.shutdown();
  await shutdown();
});

const leafReplicas = () => serve.status().applications.composed?.deployments.Leaf?.numReplicas ?? 0;

describe('handles inside replicas', () => {
  it('route over the replicas autoscaling added', { timeout: 90_000 }, async () => {
    const Leaf = serve.deployment(
      class Leaf {
        id = Math.random().toString(36).slice(2);
        async whoami() {
          await new Promise((r) => setTimeout(r, 50));
          return this.id;
        }
      },
      {
        name: 'Leaf',
        maxOngoingRequests: 4,
        autoscalingConfig: { minReplicas: 1, maxReplicas: 2, targetOngoingRequests: 1, upscaleDelayS: 0.2, downscaleDelayS: 600 },
      },
    );
    const Front = serve.deployment(
      class Front {
        leaf: { whoami: { remote(): PromiseLike<string> } };
        constructor(leaf: Front['leaf']) {
          this.leaf = leaf;
        }
        async __call__() {
          return await this.leaf.whoami.remote();
        }
      },
      { name: 'Front', maxOngoingRequests: 8 },
    );
    const front = await serve.run(Front.bind(Leaf.bind()), { http: false, name: 'composed' });
    expect(leafReplicas()).toBe(1);
    const before = new Set((await Promise.all(Array.from({ length: 6 }, () => front.remote()))).map(String));
    expect(before.size).toBe(1);

    // Only Front's replica calls Leaf: its load alone must make Leaf scale up.
    let stop = false;
    const pump = async () => {
      while (!stop) await front.remote();
    };
    const pumps = Array.from({ length: 6 }, pump);
    while (leafReplicas() < 2) await new Promise((r) => setTimeout(r, 50));
    stop = true;
    await Promise.all(pumps);

    // The handle Front's replica was built with now also reaches the replica added since.
    const seen = new Set<string>();
    for (let round = 0; round < 100 && seen.size < 2; round++) {
      for (const id of await Promise.all(Array.from({ length: 8 }, () => front.remote()))) seen.add(String(id));
    }
    expect(seen.size).toBe(2);
    expect([...before].every((id) => seen.has(id))).toBe(true);
  });
});
