import { describe, expect, it } from 'vitest';
import { AlgorithmConfigError, DQNConfig, PGConfig, PPOConfig, registerEnv } from '../../src/rl/index.ts';
import { box, discrete, EpisodeGuard } from '../../src/rl/env/index.ts';

/** A one-step env with a Box action space, for the action-space checks. */
function boxActionEnv() {
  const actionSpace = box([-2], [2]);
  const guard = new EpisodeGuard('Pendulumish-v0', actionSpace, 10);
  return {
    observationSpace: box([-1, -1], [1, 1]),
    actionSpace,
    reset: () => {
      guard.start();
      return { obs: new Float32Array(2), info: {} };
    },
    step: (action: number | ArrayLike<number>) => {
      guard.checkStep(action);
      return { obs: new Float32Array(2), reward: 0, terminated: false, truncated: guard.finishStep(false), info: {} };
    },
    render: () => {},
    close: () => {},
  };
}

/** The error `fn` throws, which must be an AlgorithmConfigError. */
function configError(fn: () => unknown): AlgorithmConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AlgorithmConfigError);
    return error as AlgorithmConfigError;
  }
  throw new Error('expected an AlgorithmConfigError');
}

describe('AlgorithmConfig.validate', () => {
  it('rejects a Box action space given to DQN, naming the space and what works', () => {
    registerEnv('Pendulumish-v0', boxActionEnv);
    const error = configError(() => new DQNConfig().environment('Pendulumish-v0').validate());
    expect(error.setting).toBe('environment');
    expect(error.message).toMatch(/DQN picks the action with the highest Q-value, so it needs a Discrete action space/);
    expect(error.message).toMatch(/'Pendulumish-v0' has the action space Box\(low=\[-2\], high=\[2\], shape=\[1\]\)/);
  });

  it('rejects a minibatchSize larger than trainBatchSize, with the range that works', () => {
    const error = configError(() => new PPOConfig().environment('CartPole-v1').training({ trainBatchSize: 256, minibatchSize: 512 }).validate());
    expect(error.setting).toBe('training.minibatchSize');
    expect(error.message).toBe(
      'training.minibatchSize (512) is larger than training.trainBatchSize (256): a minibatch is a slice of the train batch. ' +
        'Use a minibatchSize from 1 to 256, or raise trainBatchSize.',
    );
  });

  it('rejects an unknown env id, listing the registered ones', () => {
    const error = configError(() => new PPOConfig().environment('CartPol-v1').validate());
    expect(error.message).toMatch(/no environment is registered as 'CartPol-v1'\. Registered ids: .*CartPole-v1, Maze-v0, MountainCar-v0/);
    expect(error.message).toMatch(/rl\.registerEnv\('CartPol-v1'/);
  });

  it('asks for an environment when none was set', () => {
    expect(configError(() => new PGConfig().validate()).message).toMatch(/No environment set\. Call \.environment\('CartPole-v1'\)/);
  });

  it.each([
    ['training.lr', () => new PPOConfig().training({ lr: 0 }), /training\.lr must be a number > 0 and ≤ 1 \(e\.g\. 0\.0005\), got 0\./],
    ['training.gamma', () => new PPOConfig().training({ gamma: 1.5 }), /training\.gamma must be a number from 0 to 1 \(e\.g\. 0\.99\), got 1\.5\./],
    ['training.numEpochs', () => new PPOConfig().training({ numEpochs: 2.5 }), /training\.numEpochs must be an integer from 1 to 1000/],
    ['envRunners.numEnvRunners', () => new PPOConfig().envRunners({ numEnvRunners: -1 }), /envRunners\.numEnvRunners must be an integer from 0 to 64 \(e\.g\. 2\), got -1\./],
    ['envRunners.rolloutFragmentLength', () => new PPOConfig().envRunners({ rolloutFragmentLength: 0 }), /rolloutFragmentLength must be an integer from 1/],
    ['training.model.fcnetHiddens', () => new PPOConfig().training({ model: { fcnetHiddens: [64, 0] } }), /fcnetHiddens must be a list of up to 16 layer widths/],
    ['training.model.fcnetActivation', () => new PPOConfig().training({ model: { fcnetActivation: 'gelu' as 'tanh' } }), /must be one of 'tanh', 'relu', 'linear', got "gelu"/],
    ['training.clipParam', () => new PPOConfig().training({ clipParam: 0 }), /training\.clipParam must be a number > 0/],
    ['training.epsilon', () => new DQNConfig().environment('Maze-v0').training({ epsilon: [[100, 1], [0, 0.1]] }), /increasing envStep/],
    ['training.replayBufferCapacity', () => new DQNConfig().environment('Maze-v0').training({ replayBufferCapacity: 8 }), /replayBufferCapacity must be an integer from 32/],
  ])('rejects a bad %s', (setting, make, message) => {
    const config = make();
    const error = configError(() => config.environment(config.algorithm === 'DQN' ? 'Maze-v0' : 'CartPole-v1').validate());
    expect(error.setting).toBe(setting);
    expect(error.message).toMatch(message);
  });

  it('throws at once on an unknown setting, listing the known ones', () => {
    const error = configError(() => new PPOConfig().training({ learningRate: 0.1 } as never));
    expect(error.message).toMatch(/training\(\): unknown setting 'learningRate'\. Known settings: lr, gamma, trainBatchSize/);
    expect(configError(() => new PPOConfig().envRunners({ numWorkers: 2 } as never)).message).toMatch(/Known settings: numEnvRunners, numEnvsPerEnvRunner, rolloutFragmentLength/);
  });
});

describe('AlgorithmConfig.toSpec', () => {
  it('chains, merges model settings, and resolves rolloutFragmentLength "auto" over all envs', () => {
    const spec = new PPOConfig()
      .environment({ env: 'CartPole-v1', envConfig: { maxEpisodeSteps: 200 } })
      .envRunners({ numEnvRunners: 2, numEnvsPerEnvRunner: 5 })
      .training({ trainBatchSize: 1000, model: { fcnetHiddens: [32] } })
      .debugging({ seed: 7 })
      .toSpec();
    expect(spec.algorithm).toBe('PPO');
    expect(spec.env).toEqual({ id: 'CartPole-v1', config: { maxEpisodeSteps: 200 } });
    expect(spec.envRunners).toEqual({ numEnvRunners: 2, numEnvsPerEnvRunner: 5, rolloutFragmentLength: 100 });
    expect(spec.training.model).toEqual({ fcnetHiddens: [32], fcnetActivation: 'tanh' });
    expect(spec.seed).toBe(7);
    expect(spec.spaces.action).toEqual(discrete(2));
    expect(spec.policy).toEqual({
      type: 'actor-critic',
      pi: { inputs: 4, hiddens: [32], outputs: 2, activation: 'tanh' },
      vf: { inputs: 4, hiddens: [32], outputs: 1, activation: 'tanh' },
    });
  });

  it('one-hot encodes a Discrete observation space: DQN on the maze reads 25 inputs', () => {
    const spec = new DQNConfig().environment('Maze-v0').toSpec();
    expect(spec.policy).toEqual({ type: 'q', q: { inputs: 25, hiddens: [64, 64], outputs: 4, activation: 'relu' } });
    expect(spec.envRunners).toEqual({ numEnvRunners: 0, numEnvsPerEnvRunner: 1, rolloutFragmentLength: 4 });
  });

  it('keeps configs apart: training() on one config leaves the defaults of the next alone', () => {
    new PPOConfig().training({ lr: 0.1, model: { fcnetHiddens: [8] } });
    expect(new PPOConfig().trainingOptions.lr).toBe(0.001);
    expect(new PPOConfig().trainingOptions.model.fcnetHiddens).toEqual([64, 64]);
  });
});
