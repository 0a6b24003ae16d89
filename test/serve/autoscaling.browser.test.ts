/**
 * Autoscaling: sustained load above the target adds replicas up to maxReplicas, and when the load
 * is gone they are removed down to minReplicas. States are awaited, never durations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, serve, shutdown } from '../../src/index.ts';

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await serve.shutdown();
  await shutdown();
});

const replicas = () => serve.status().applications.scaling?.deployments.Busy?.numReplicas ?? 0;

async function until(condition: () => boolean, seen: number[]): Promise<void> {
  while (!condition()) {
    seen.push(replicas());
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('autoscaling', () => {
  it('scales up under sustained load and back down when it ends, within min and max', { timeout: 90_000 }, async () => {
    const Busy = serve.deployment(
      class Busy {
        async work() {
          await new Promise((r) => setTimeout(r, 100));
          return true;
        }
      },
      {
        name: 'Busy',
        maxOngoingRequests: 2,
        autoscalingConfig: { minReplicas: 1, maxReplicas: 3, targetOngoingRequests: 1, upscaleDelayS: 0.2, downscaleDelayS: 0.5 },
      },
    );
    const busy = await serve.run(Busy.bind(), { http: false, name: 'scaling' });
    expect(replicas()).toBe(1);
    let stop = false;
    const pump = async () => {
      while (!stop) await busy.work.remote();
    };
    const seen: number[] = [];
    const pumps = Array.from({ length: 8 }, pump);
    await until(() => replicas() === 3, seen);
    stop = true;
    await Promise.all(pumps);
    await until(() => replicas() === 1, seen);
    expect(Math.max(...seen)).toBeLessThanOrEqual(3);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(1);
    expect(await busy.work.remote()).toBe(true);
  });

  it('refuses autoscaling bounds that cannot hold', () => {
    expect(() => serve.deployment(() => 1, { autoscalingConfig: { minReplicas: 3, maxReplicas: 2 } })).toThrow(/maxReplicas \(2\) is below minReplicas \(3\)/);
  });
});
