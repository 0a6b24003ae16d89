/**
 * The learner's side of an algorithm, in Node on TensorFlow.js's cpu backend: with
 * `numEnvRunners: 0` it samples in its own realm, so no raybox runtime is needed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { importTf } from '../../../src/ml/tf-module.ts';
import type { Tf } from '../../../src/ml/index.ts';
import { DQNConfig, LearnerHost, PPOConfig } from '../../../src/rl/index.ts';

let tfCpu: Tf;

beforeAll(async () => {
  // The realm's own tf (what ml.loadTf returns), pinned to the cpu backend.
  tfCpu = await importTf();
  await tfCpu.setBackend('cpu');
});

function smallPpo(seed: number) {
  return new PPOConfig()
    .environment('CartPole-v1')
    .envRunners({ numEnvRunners: 0, numEnvsPerEnvRunner: 2 })
    .training({ trainBatchSize: 200, minibatchSize: 50, numEpochs: 2, model: { fcnetHiddens: [16] } })
    .debugging({ seed })
    .toSpec();
}

describe('LearnerHost.train', () => {
  it('counts iterations, env steps and time, and reports the learner statistics', async () => {
    let now = 100;
    const host = new LearnerHost(smallPpo(0), null, { tf: tfCpu, clock: () => (now += 0.5) });
    const first = await host.train();
    const second = await host.train();
    expect(first).toMatchObject({ trainingIteration: 1, numEnvStepsSampled: 200, numEnvStepsSampledLifetime: 200, timeThisIterS: 0.5, timeTotalS: 0.5 });
    expect(second).toMatchObject({ trainingIteration: 2, numEnvStepsSampledLifetime: 400, timeTotalS: 1 });
    expect(first.numEpisodes).toBeGreaterThan(0);
    expect(first.learner['numGradientSteps']).toBe(8);
    for (const key of ['totalLoss', 'policyLoss', 'vfLoss', 'entropy', 'kl', 'clipFraction', 'gradNorm']) {
      expect(Number.isFinite(first.learner[key])).toBe(true);
    }
    expect(first.learner['entropy']).toBeCloseTo(Math.log(2), 1); // a fresh policy is near uniform
    await host.stop();
  });

  it('frees every tensor an iteration makes (PPO and DQN)', async () => {
    const dqn = new DQNConfig()
      .environment('Maze-v0')
      .training({ numStepsSampledBeforeLearningStarts: 32, minSampleTimestepsPerIteration: 64, targetNetworkUpdateFreq: 32, model: { fcnetHiddens: [8] } })
      .debugging({ seed: 1 })
      .toSpec();
    for (const spec of [smallPpo(2), dqn]) {
      const host = new LearnerHost(spec, null, { tf: tfCpu });
      await host.train(); // the optimiser makes its slot variables on the first step
      const before = tfCpu.memory().numTensors;
      await host.train();
      await host.train();
      await host.evaluate({ numEpisodes: 1, maxEpisodeSteps: 50 });
      await host.save();
      expect(tfCpu.memory().numTensors).toBe(before);
      await host.stop();
    }
  });

  it('repeats a run exactly from the same seed', async () => {
    const run = async () => {
      const host = new LearnerHost(smallPpo(5), null, { tf: tfCpu });
      const results = [await host.train(), await host.train()];
      await host.stop();
      return results.map((r) => [r.episodeReturnMean, r.learner['policyLoss']]);
    };
    expect(await run()).toEqual(await run());
  });
});

describe('LearnerHost.save', () => {
  it('restores into a host that acts exactly the same and carries on counting (PPO)', async () => {
    const spec = smallPpo(1);
    const host = new LearnerHost(spec, null, { tf: tfCpu });
    await host.train();
    const state = JSON.parse(JSON.stringify(await host.save()));
    const restored = new LearnerHost(spec, state, { tf: tfCpu });
    const observations = Array.from({ length: 20 }, (_, i) => Float32Array.of(0.1 * Math.sin(i), 0.2 * Math.cos(i), 0.05 * Math.sin(3 * i), 0.3 * Math.cos(2 * i)));
    for (const obs of observations) expect(await restored.computeSingleAction(obs)).toBe(await host.computeSingleAction(obs));
    expect((await restored.train()).trainingIteration).toBe(2);
    await host.stop();
    await restored.stop();
  });

  it('restores DQN’s online and target networks', async () => {
    const spec = new DQNConfig()
      .environment('Maze-v0')
      .training({ numStepsSampledBeforeLearningStarts: 64, minSampleTimestepsPerIteration: 200, model: { fcnetHiddens: [16] } })
      .debugging({ seed: 2 })
      .toSpec();
    const host = new LearnerHost(spec, null, { tf: tfCpu });
    const result = await host.train();
    expect(result.learner['numGradientSteps']).toBeGreaterThan(0);
    const state = JSON.parse(JSON.stringify(await host.save()));
    expect(Object.keys(state.learner.models)).toEqual(['q', 'target']);
    const restored = new LearnerHost(spec, state, { tf: tfCpu });
    for (let cell = 0; cell < 25; cell++) expect(await restored.computeSingleAction(cell)).toBe(await host.computeSingleAction(cell));
    await host.stop();
    await restored.stop();
  });
});
