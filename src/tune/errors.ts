import { RayboxError } from '../core/errors.ts';

/**
 * Errors of `raybox.tune`. They extend `RayboxError`, carry a literal `name` that survives a
 * worker hop, and say what to do next.
 */
export class TuneError extends RayboxError {
  override name: string = 'TuneError';
}

/**
 * A search space, config or option that cannot run, found before any trial starts: an empty grid,
 * `uniform(1, 0)`, a mode other than min/max, a trainable of no known kind.
 */
export class TuneConfigError extends TuneError {
  override readonly name = 'TuneConfigError' as const;
}

/** `tune.report` or `tune.getCheckpoint` was called outside a running trial. */
export class NoTrialSessionError extends TuneError {
  override readonly name = 'NoTrialSessionError' as const;
  constructor(call: string) {
    super(`${call} works only inside a trainable that Tuner.fit() or tune.run() is running. Call it from the trainable function.`);
  }
}
