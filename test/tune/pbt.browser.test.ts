/**
 * PBT with real trial actors: a bottom trial restarts in a new actor from a top trial's
 * checkpoint (tune.getCheckpoint sees it) with the top trial's config times 1.2 or 0.8.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, init, remote, shutdown, tune } from '../../src/index.ts';

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await shutdown();
});

declare const raybox: { get(ref: unknown): Promise<number> };
interface GateHandle {
  mark: { remote(): unknown };
  count: { remote(): unknown };
}

describe('PopulationBasedTraining', () => {
  it('exploits a top trial’s checkpoint and explores its config by the documented factors', { timeout: 90_000 }, async () => {
    // A gate actor (its handle in the config) keeps the slow trial at its first report until the fast one has been ranked,
    // so the exploit happens however the two trials' actors are timed.
    const Gate = remote(
      class Gate {
        n = 0;
        mark() {
          return ++this.n;
        }
        count() {
          return this.n;
        }
      },
    );
    const gate = Gate.remote();
    expect(await get(gate.count.remote())).toBe(0);
    const trainable = async (config: Record<string, unknown>) => {
      const g = config.gate as GateHandle;
      let w = (tune.getCheckpoint() as { w: number } | null)?.w ?? 0;
      for (let i = 0; i < 40; i++) {
        if (config.lr === 1) await raybox.get(g.mark.remote());
        else while ((await raybox.get(g.count.remote())) < 3) await new Promise((r) => setTimeout(r, 5));
        w += config.lr as number;
        await tune.report({ w, lr: config.lr }, { checkpoint: { w } });
      }
    };
    const pbt = new tune.PopulationBasedTraining({ timeAttr: 'trainingIteration', perturbationInterval: 2, hyperparamMutations: { lr: tune.uniform(0, 2) }, resampleProbability: 0, seed: 1 });
    const grid = await new tune.Tuner(trainable, {
      paramSpace: { lr: tune.gridSearch([0.01, 1]), gate },
      tuneConfig: { metric: 'w', mode: 'max', scheduler: pbt, maxConcurrentTrials: 2 },
      runConfig: { stop: { trainingIteration: 10 } },
    }).fit();
    expect(grid.errors.map((e) => e.message)).toEqual([]);
    expect(pbt.exploits.length).toBeGreaterThan(0);
    const first = pbt.exploits[0]!;
    const slow = [...grid].find((r) => r.trialId === first.trialId)!;
    expect(first.oldConfig.lr).toBe(1);
    expect([1.2, 0.8]).toContain(first.newConfig.lr);
    // Iterations go on from where the copied checkpoint was taken, with w continuing from it.
    const history = slow.metricsHistory;
    expect(history.map((m) => m.trainingIteration)).toEqual(Array.from({ length: history.length }, (_, i) => i + 1));
    const switchAt = history.findIndex((m) => m.lr !== 0.01);
    expect(switchAt).toBeGreaterThan(0);
    const copied = history[switchAt]!;
    expect(copied.lr).toBe(first.newConfig.lr);
    // w after the switch is the fast trial's checkpointed w (a whole number of steps of 1) plus the new lr.
    const base = (copied.w as number) - (copied.lr as number);
    expect(Math.abs(base - Math.round(base))).toBeLessThan(1e-9);
    expect(base).toBeGreaterThanOrEqual(2);
    expect(slow.config.lr).not.toBe(0.01);
  });
});
