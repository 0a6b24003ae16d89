/**
 * `raybox.tune` inside workers: what a trial's actor and its trainable call (`report`,
 * `getCheckpoint`, the actor's `TrialRunner`), the search-space helpers, and the errors. The
 * tuner, schedulers and searchers run in the page only; leaving them out keeps the RL library
 * they reach (RL trainables) out of every trial worker, which loads this on its first trial.
 */
import { NoTrialSessionError, TuneConfigError, TuneError } from './errors.ts';
import { choice, gridSearch, loguniform, qrandint, quniform, randint, randn, sampleFrom, uniform } from './search-space.ts';
import { getCheckpoint, report, TrialRunner } from './trial-runner.ts';

/** The search-space helpers, the same in the page's `raybox.tune` and in workers. */
export const searchSpace = { uniform, quniform, loguniform, randint, qrandint, randn, choice, gridSearch, sampleFrom };

export const tuneWorkerApi = {
  ...searchSpace,
  report,
  getCheckpoint,
  TuneError,
  TuneConfigError,
  NoTrialSessionError,
  TrialRunner,
};
