import type { CommonTrainingOptions } from '../algorithm-spec.ts';

/** DQN's training settings. `trainBatchSize` is the replayed minibatch; `minibatchSize` and `numEpochs` are unused. */
export interface DQNTrainingOptions extends CommonTrainingOptions {
  /** Transitions the replay buffer keeps; the oldest go first. @default 50000 */
  replayBufferCapacity: number;
  /** Env steps sampled (acting by ε) before the first gradient step. @default 1000 */
  numStepsSampledBeforeLearningStarts: number;
  /** Env steps between target-network updates. @default 500 */
  targetNetworkUpdateFreq: number;
  /** Target update weight: 1 copies the online network, less blends it in (Polyak). @default 1 */
  tau: number;
  /** Double Q-learning: the online network picks the next action, the target network values it. @default true */
  doubleQ: boolean;
  /**
   * ε-greedy schedule: `[envStep, ε]` points, linear between them and constant after the last.
   * @default [[0, 1], [10000, 0.05]]
   */
  epsilon: [number, number][];
  /**
   * Replayed transitions trained on per env step sampled (RLlib's training_intensity); null
   * takes one gradient step per sample round.
   * @default null
   */
  trainingIntensity: number | null;
  /** Env steps at least per `train()` call (RLlib's min_sample_timesteps_per_iteration). @default 1000 */
  minSampleTimestepsPerIteration: number;
}

export const DQN_DEFAULTS: DQNTrainingOptions = {
  lr: 0.0005,
  gamma: 0.99,
  trainBatchSize: 32,
  minibatchSize: null,
  numEpochs: 1,
  gradClip: 10,
  model: { fcnetHiddens: [64, 64], fcnetActivation: 'relu' },
  replayBufferCapacity: 50_000,
  numStepsSampledBeforeLearningStarts: 1000,
  targetNetworkUpdateFreq: 500,
  tau: 1,
  doubleQ: true,
  epsilon: [
    [0, 1],
    [10_000, 0.05],
  ],
  trainingIntensity: null,
  minSampleTimestepsPerIteration: 1000,
};
