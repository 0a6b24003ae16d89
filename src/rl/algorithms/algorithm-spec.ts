import type { Space } from '../env/index.ts';
import type { EnvSpec } from '../env-source.ts';
import type { ModelConfig } from '../models/model-config.ts';
import type { PolicySpec } from '../models/policy-spec.ts';

/** The algorithms raybox implements. */
export type AlgorithmName = 'PPO' | 'DQN' | 'PG';

/** `config.envRunners(...)`: who samples, and how much per iteration. */
export interface EnvRunnersOptions {
  /**
   * Env runner actors, each in a worker of its own, sampling in parallel. 0 samples in the
   * learner's own worker (no actors at all).
   * @default 2 for PPO and PG, 0 for DQN
   */
  numEnvRunners: number;
  /**
   * Copies of the env each runner steps together; the policy acts on all of them in one
   * batched forward pass per step.
   * @default 1
   */
  numEnvsPerEnvRunner: number;
  /**
   * Steps per env in each sample call. `'auto'`: PPO and PG split `trainBatchSize` evenly over
   * all envs of all runners; DQN takes 4.
   * @default 'auto'
   */
  rolloutFragmentLength: number | 'auto';
}

/** Training settings all algorithms share (`config.training(...)`). */
export interface CommonTrainingOptions {
  /** Adam's learning rate. */
  lr: number;
  /** Discount factor, in [0, 1]. */
  gamma: number;
  /** PPO, PG: env steps per iteration. DQN: transitions per gradient step (drawn from replay). */
  trainBatchSize: number;
  /** Rows per gradient step within an iteration (PPO); null uses the whole train batch. */
  minibatchSize: number | null;
  /** Passes over the train batch per iteration (PPO). */
  numEpochs: number;
  /** Gradients are rescaled to at most this global norm; null leaves them alone. */
  gradClip: number | null;
  /** The networks' shape: `{ fcnetHiddens, fcnetActivation }`. */
  model: ModelConfig;
}

/** An observation space and action space pair, read from the env when the config is validated. */
export interface Spaces {
  observation: Space;
  action: Space;
}

/**
 * A validated config as plain data: what travels to the learner's worker, and what a checkpoint
 * stores. Every `'auto'` and default is resolved.
 */
export interface AlgorithmSpec<T extends CommonTrainingOptions = CommonTrainingOptions> {
  algorithm: AlgorithmName;
  env: EnvSpec;
  spaces: Spaces;
  envRunners: { numEnvRunners: number; numEnvsPerEnvRunner: number; rolloutFragmentLength: number };
  training: T;
  /** The run's seed (the config's, or one drawn when it had none). */
  seed: number;
  /** How runners act, and the networks' shapes. */
  policy: PolicySpec;
}
