/**
 * `raybox.rl`: reinforcement learning, RLlib-style. Environments with Gymnasium's API and a
 * registry; algorithm configs (PPO, DQN, PG) that validate themselves and build an `Algorithm`,
 * whose learner runs in an actor and whose env runners are actors sampling in parallel.
 *
 * Inside every worker the global `raybox.rl` is this namespace plus `worker` (worker-api.ts): what
 * the actor shells (`EnvRunnerActor`, `LearnerActor`) run, kept out of the page's namespace.
 */
import { Algorithm } from './algorithms/algorithm.ts';
import { DQNConfig } from './algorithms/dqn/dqn-config.ts';
import { piecewiseLinear } from './algorithms/dqn/epsilon-schedule.ts';
import { PGConfig } from './algorithms/pg/pg-config.ts';
import { PPOConfig } from './algorithms/ppo/ppo-config.ts';
import {
  CartPoleEnv,
  EnvConfigError,
  EnvError,
  EnvNotFoundError,
  EpisodeGuard,
  InvalidActionError,
  MazeEnv,
  MountainCarEnv,
  ResetNeededError,
  box,
  contains,
  createRng,
  describeSpace,
  discrete,
  makeEnv,
  registeredEnvIds,
  sample,
} from './env/index.ts';
import { makeEnvFromSpec, registerEnv } from './env-source.ts';
import { concatBatches } from './env-runner/sample-batch.ts';
import { AlgorithmConfigError, AlgorithmStoppedError, CheckpointError, RlError } from './errors.ts';
import { ActingPolicy } from './models/acting-policy.ts';
import { ReplayBuffer } from './replay/replay-buffer.ts';

/**
 * The `raybox.rl` namespace.
 *
 * @example
 * const { rl } = raybox;
 * const env = rl.makeEnv('CartPole-v1');
 * const algo = new rl.PPOConfig().environment('CartPole-v1').debugging({ seed: 0 }).build();
 * const { episodeReturnMean } = await algo.train();
 */
export const rl = {
  // Environments
  makeEnv,
  registerEnv,
  registeredEnvIds,
  makeEnvFromSpec,
  CartPoleEnv,
  MazeEnv,
  MountainCarEnv,
  EpisodeGuard,
  discrete,
  box,
  sample,
  contains,
  describeSpace,
  createRng,
  // Algorithms
  PPOConfig,
  DQNConfig,
  PGConfig,
  Algorithm,
  // Building blocks a custom loop can reuse
  ActingPolicy,
  ReplayBuffer,
  concatBatches,
  piecewiseLinear,
  // Errors
  RlError,
  AlgorithmConfigError,
  AlgorithmStoppedError,
  CheckpointError,
  EnvError,
  EnvNotFoundError,
  EnvConfigError,
  InvalidActionError,
  ResetNeededError,
} as const;

export { Algorithm } from './algorithms/algorithm.ts';
export { AlgorithmConfig, type EnvironmentOption, type TrainingUpdate } from './algorithms/algorithm-config.ts';
export type { AlgorithmName, AlgorithmSpec, CommonTrainingOptions, EnvRunnersOptions, Spaces } from './algorithms/algorithm-spec.ts';
export type { AlgorithmState, Checkpoint } from './algorithms/checkpoint.ts';
export { DQNConfig, DQN_DEFAULTS, type DQNTrainingOptions } from './algorithms/dqn/dqn-config.ts';
export { PGConfig, PG_DEFAULTS, type PGTrainingOptions } from './algorithms/pg/pg-config.ts';
export { PPOConfig, PPO_DEFAULTS, type PPOTrainingOptions } from './algorithms/ppo/ppo-config.ts';
export { EnvRunner, type EnvRunnerSpec, type SampleRequest } from './env-runner/env-runner.ts';
export type { EpisodeRecord, SampleBatch, SampleResult } from './env-runner/sample-batch.ts';
export { envSpec, makeEnvFromSpec, registerEnv, type EnvSpec } from './env-source.ts';
export { AlgorithmConfigError, AlgorithmStoppedError, CheckpointError, RlError } from './errors.ts';
export type { EvaluateOptions, EvaluationResult } from './evaluation.ts';
export { LearnerHost, type LearnerHostOptions } from './learner/learner-host.ts';
export { METRICS_WINDOW, setMetricReporter, type MetricReporter, type TrainResult } from './metrics.ts';
export type { Activation, ModelConfig } from './models/model-config.ts';
export type { PolicySpec } from './models/policy-spec.ts';
