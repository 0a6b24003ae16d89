import type { Weights } from '../../ml/index.ts';
import type { EnvRunnerGroup } from '../env-runner/env-runner-group.ts';
import type { EpisodeRecord } from '../env-runner/sample-batch.ts';
import type { ActOptions } from '../models/acting-policy.ts';
import type { JsonWeights } from './json-weights.ts';

/** What a training step may use: the runners to sample from, and the run's progress so far. */
export interface TrainingContext {
  runners: EnvRunnerGroup;
  /** Env steps sampled before this iteration. */
  lifetimeSteps: number;
}

/** What one training step did. */
export interface StepOutcome {
  /** Env steps sampled in this step. */
  numEnvSteps: number;
  /** Episodes that ended in this step. */
  episodes: EpisodeRecord[];
  /** The learner's statistics, e.g. `{ policyLoss, vfLoss, entropy }`. */
  stats: Record<string, number>;
}

/** A learner's state as JSON-ready data: its models' weights by name, and a few counters. */
export interface LearnerState {
  models: Record<string, JsonWeights>;
  counters: Record<string, number>;
}

/**
 * RLlib's Learner, fused with its Algorithm's `training_step`: the models and optimiser of one
 * algorithm, and how one iteration samples from the env runners and updates the models. It runs
 * in the learner actor's worker (`LearnerHost`), on TensorFlow.js.
 */
export interface Learner {
  /** The weights the runners act with, in `ml.getWeights` layout. */
  policyWeights(): Promise<Weights>;
  /** One iteration: sample, update, report. */
  trainingStep(context: TrainingContext): Promise<StepOutcome>;
  /** How to act when exploring at this point of the run (e.g. DQN's current ε). */
  exploration(lifetimeSteps: number): ActOptions;
  getState(): Promise<LearnerState>;
  /** Restores `getState()`'s result; the optimiser starts afresh. */
  setState(state: LearnerState): void;
  /** Frees the models' memory. */
  dispose(): void;
}
