import { RayboxError, registerErrorClasses } from '../core/errors.ts';

/**
 * Errors of `raybox.rl` beyond the environments' own (`src/rl/env/errors.ts`). They extend
 * `RayboxError`, carry a literal `name`, are registered so they come back as themselves after a
 * worker hop, and say what to do next.
 */
export class RlError extends RayboxError {
  override name: string = 'RlError';
}

/**
 * An algorithm config holds an impossible setting. The message names the setting, the value it
 * got and the range that works, e.g. "training.minibatchSize is 512 but trainBatchSize is 256 …".
 */
export class AlgorithmConfigError extends RlError {
  override readonly name = 'AlgorithmConfigError' as const;
  /** The setting at fault, as a path such as `training.minibatchSize`. */
  readonly setting: string;

  constructor(setting: string, message: string) {
    super(message);
    this.setting = setting;
  }

  override details(): Record<string, unknown> {
    return { setting: this.setting };
  }
}

/** `Algorithm.fromCheckpoint` was given something that is not a checkpoint `save()` made. */
export class CheckpointError extends RlError {
  override readonly name = 'CheckpointError' as const;
}

/** An Algorithm was used after `stop()`. */
export class AlgorithmStoppedError extends RlError {
  override readonly name = 'AlgorithmStoppedError' as const;
  constructor(call: string) {
    super(`${call}: this Algorithm was stopped, so its learner and env runners are gone. Build a new one with config.build() or Algorithm.fromCheckpoint(checkpoint).`);
  }
}

registerErrorClasses(RlError, AlgorithmConfigError, CheckpointError, AlgorithmStoppedError);
