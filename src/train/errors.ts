import { RayboxError, registerErrorClasses } from '../core/errors.ts';

/**
 * Errors of `raybox.train`. Each extends `RayboxError`, carries a literal `name` that survives a
 * worker hop (they are registered, so a worker's error is rebuilt as its own class), and says
 * what to do next.
 */
export class TrainError extends RayboxError {
  override name: string = 'TrainError';
}

/** A trainer option that cannot run, found before any worker starts. */
export class TrainConfigError extends TrainError {
  override readonly name = 'TrainConfigError' as const;
}

/** `train.report`, `train.getContext` … called outside a training loop that `fit()` runs. */
export class NoTrainSessionError extends TrainError {
  override readonly name = 'NoTrainSessionError' as const;
  constructor(call: string) {
    super(`${call} works only inside trainLoopPerWorker while trainer.fit() runs it. Call it from the training loop.`);
  }
}

/** `getDatasetShard(name)` for a dataset the trainer was not given. */
export class UnknownDatasetError extends TrainError {
  override readonly name = 'UnknownDatasetError' as const;
}

/**
 * The workers of one group did not make the same calls: one called `report` or `allreduce` more
 * often than another. Synchronous data parallelism needs every worker to take the same steps.
 */
export class WorkerStepMismatchError extends TrainError {
  override readonly name = 'WorkerStepMismatchError' as const;
}

/** `fit()` gave up: a worker failed (its error is the cause) more often than `maxFailures` allows. */
export class TrainingFailedError extends TrainError {
  override readonly name = 'TrainingFailedError' as const;
}

registerErrorClasses(TrainError, TrainConfigError, NoTrainSessionError, UnknownDatasetError, WorkerStepMismatchError, TrainingFailedError);
