import type { EpisodeRecord } from '../env-runner/sample-batch.ts';
import { CheckpointError } from '../errors.ts';
import type { LearnerState } from '../learner/learner.ts';
import type { AlgorithmSpec } from './algorithm-spec.ts';

/** Where a run stands: everything `Algorithm.fromCheckpoint` restores besides the config. */
export interface AlgorithmState {
  iteration: number;
  numEnvStepsSampledLifetime: number;
  timeTotalS: number;
  /** The metrics window's episodes, so smoothed statistics carry on. */
  episodes: EpisodeRecord[];
  learner: LearnerState;
}

/**
 * What `algo.save()` returns: the validated config and the run's state, as plain JSON-ready
 * data (weights as number arrays), so it can go through `JSON.stringify`, localStorage or a
 * file and come back. The optimiser's moments and DQN's replay buffer are not included: a
 * restored algorithm acts exactly as the saved one and trains on with a fresh optimiser.
 *
 * @example
 * localStorage.setItem('cartpole', JSON.stringify(await algo.save()));
 * const again = rl.Algorithm.fromCheckpoint(JSON.parse(localStorage.getItem('cartpole')!));
 */
export interface Checkpoint {
  format: 'raybox.rl.checkpoint';
  version: 1;
  spec: AlgorithmSpec;
  state: AlgorithmState;
}

/** Checks that `value` is a checkpoint this version can restore; returns it typed. */
export function checkCheckpoint(value: unknown): Checkpoint {
  const fix = 'Pass the object algo.save() returned (after JSON.parse if it was stored as text).';
  if (typeof value !== 'object' || value === null) throw new CheckpointError(`Algorithm.fromCheckpoint: expected a checkpoint object, got ${typeof value}. ${fix}`);
  const cp = value as Partial<Checkpoint>;
  if (cp.format !== 'raybox.rl.checkpoint') throw new CheckpointError(`Algorithm.fromCheckpoint: this is not a raybox checkpoint (format ${JSON.stringify(cp.format)}). ${fix}`);
  if (cp.version !== 1) throw new CheckpointError(`Algorithm.fromCheckpoint: checkpoint version ${String(cp.version)} is not supported here (this raybox reads version 1).`);
  const spec = cp.spec;
  if (!spec || !['PPO', 'DQN', 'PG'].includes(spec.algorithm) || typeof spec.env?.id !== 'string' || typeof spec.seed !== 'number') {
    throw new CheckpointError(`Algorithm.fromCheckpoint: the checkpoint's spec is damaged (algorithm, env or seed missing). ${fix}`);
  }
  const state = cp.state;
  if (!state || typeof state.iteration !== 'number' || typeof state.learner?.models !== 'object') {
    throw new CheckpointError(`Algorithm.fromCheckpoint: the checkpoint's state is damaged (iteration or weights missing). ${fix}`);
  }
  return cp as Checkpoint;
}
