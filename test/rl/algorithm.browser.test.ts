/**
 * The Algorithm handle in a page with real workers: checkpoints that survive JSON and act the
 * same, environments registered in the page training in runner workers, evaluate, stop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, rl, shutdown } from '../../src/index.ts';
import type { Checkpoint } from '../../src/rl/index.ts';

beforeAll(async () => {
  await init({ numWorkers: 1 });
});
afterAll(async () => {
  await shutdown();
});

/** CartPole observations from one seeded episode of random play: inputs to compare policies on. */
function probeObservations(count: number): Float32Array[] {
  const env = rl.makeEnv('CartPole-v1');
  const random = rl.createRng(5);
  const out: Float32Array[] = [];
  let { obs } = env.reset({ seed: 5 });
  while (out.length < count) {
    out.push(obs as Float32Array);
    const step = env.step(random.int(2));
    obs = step.terminated || step.truncated ? env.reset().obs : step.obs;
  }
  return out;
}

describe('Algorithm', () => {
  it('save() survives JSON, and Algorithm.fromCheckpoint acts exactly as the saved algorithm', { timeout: 120_000 }, async () => {
    const algo = new rl.PPOConfig()
      .environment('CartPole-v1')
      .envRunners({ numEnvRunners: 1, numEnvsPerEnvRunner: 2 })
      .training({ trainBatchSize: 1000, minibatchSize: 250, numEpochs: 4 })
      .debugging({ seed: 3 })
      .build();
    const restored = await (async () => {
      try {
        await algo.train();
        const trained = await algo.train();
        const saved = algo.save();
        expect(saved).not.toBeInstanceOf(Promise); // after train(), as synchronous as RLlib's
        const checkpoint = JSON.parse(JSON.stringify(saved)) as Checkpoint;
        expect(checkpoint.state.iteration).toBe(2);
        expect(checkpoint.state.numEnvStepsSampledLifetime).toBe(trained.numEnvStepsSampledLifetime);
        const again = rl.Algorithm.fromCheckpoint(checkpoint);
        const observations = probeObservations(64);
        // After train() the page holds the policy: actions come at once, as in RLlib.
        const before = observations.map((obs) => algo.computeSingleAction(obs));
        expect(before.every((action) => typeof action === 'number')).toBe(true);
        // A restored algorithm answers through its learner until it has the policy too.
        const viaLearner = await Promise.all(observations.map((obs) => again.computeSingleAction(obs)));
        await again.ready();
        const after = observations.map((obs) => again.computeSingleAction(obs));
        expect(viaLearner).toEqual(before);
        expect(after).toEqual(before);
        expect(new Set(before).size).toBe(2); // a trained policy pushes both ways
        return again;
      } finally {
        await algo.stop();
      }
    })();
    try {
      // The restored run carries on counting where the saved one stopped.
      const next = await restored.train();
      expect(next.trainingIteration).toBe(3);
      expect(next.numEnvStepsSampledLifetime).toBe(3000);
    } finally {
      await restored.stop();
    }
  });

  it('rejects what is not a checkpoint with a CheckpointError that says what to pass', () => {
    expect(() => rl.Algorithm.fromCheckpoint({ weights: [] } as unknown as Checkpoint)).toThrow(rl.CheckpointError);
    expect(() => rl.Algorithm.fromCheckpoint({ weights: [] } as unknown as Checkpoint)).toThrow(/algo\.save\(\)/);
  });

  it('trains on an environment registered in the page, built from its source in the runner workers', { timeout: 120_000 }, async () => {
    rl.registerEnv('Corridor-v0', (config) => {
      const length = typeof config?.['length'] === 'number' ? config['length'] : 4;
      class Corridor {
        observationSpace = { type: 'Discrete' as const, n: length + 1 };
        actionSpace = { type: 'Discrete' as const, n: 2 };
        position = 0;
        steps = 0;
        reset() {
          this.position = 0;
          this.steps = 0;
          return { obs: 0, info: {} };
        }
        step(action: number) {
          this.position = Math.max(0, this.position + (action === 1 ? 1 : -1));
          this.steps++;
          const terminated = this.position === length;
          return { obs: this.position, reward: terminated ? 1 : -0.05, terminated, truncated: !terminated && this.steps >= 50, info: {} };
        }
        render() {}
        close() {}
      }
      return new Corridor();
    });
    const algo = new rl.PPOConfig()
      .environment({ env: 'Corridor-v0', envConfig: { length: 3 } })
      .envRunners({ numEnvRunners: 2, numEnvsPerEnvRunner: 2 })
      .training({ trainBatchSize: 400, minibatchSize: 100, numEpochs: 8, lr: 0.003 })
      .debugging({ seed: 1 })
      .build();
    try {
      for (let i = 0; i < 5; i++) await algo.train();
      const evaluation = await algo.evaluate({ numEpisodes: 2 });
      expect(evaluation.episodeLens).toEqual([3, 3]);
      expect(await algo.computeSingleAction(0)).toBe(1);
    } finally {
      await algo.stop();
    }
  });

  it('explains a page env whose creator uses variables of the page', { timeout: 60_000 }, async () => {
    class PageOnlyEnv {
      observationSpace = { type: 'Discrete' as const, n: 2 };
      actionSpace = { type: 'Discrete' as const, n: 2 };
      reset() {
        return { obs: 0, info: {} };
      }
      step() {
        return { obs: 0, reward: 0, terminated: true, truncated: false, info: {} };
      }
      render() {}
      close() {}
    }
    rl.registerEnv('PageOnly-v0', () => new PageOnlyEnv());
    const algo = new rl.PGConfig().environment('PageOnly-v0').envRunners({ numEnvRunners: 1 }).build();
    try {
      await expect(algo.train()).rejects.toThrow(/cannot see variables of the code that registered them/);
    } finally {
      await algo.stop();
    }
  });

  it('evaluates whole episodes and refuses calls after stop()', { timeout: 60_000 }, async () => {
    const algo = new rl.PGConfig().environment('CartPole-v1').envRunners({ numEnvRunners: 0 }).debugging({ seed: 0 }).build();
    const evaluation = await algo.evaluate({ numEpisodes: 3 });
    expect(evaluation.numEpisodes).toBe(3);
    expect(evaluation.episodeReturns).toEqual(evaluation.episodeLens); // CartPole pays 1 per step
    expect(evaluation.episodeLenMean).toBeCloseTo(evaluation.episodeLens.reduce((a, b) => a + b, 0) / 3);
    await algo.stop();
    await algo.stop();
    await expect(algo.train()).rejects.toThrow(rl.AlgorithmStoppedError);
  });
});
