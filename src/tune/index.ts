/**
 * `raybox.tune`: hyperparameter tuning, shaped after Ray Tune. Search spaces, trainables that
 * run each trial in an actor and call `tune.report`, `Tuner` / `ResultGrid`, the book's
 * `tune.run` / `ExperimentAnalysis`, schedulers (FIFO, ASHA, synchronous HyperBand, median stopping, PBT) and searchers (random/grid, TPE, GP Bayesian optimisation).
 *
 * The same namespace is `raybox.tune` inside every worker: trial actors run trainables through
 * `TrialRunner`, and a trainable's `tune.report` reaches it there.
 */
import { BasicVariantGenerator } from './searchers/basic-variant.ts';
import { BayesOptSearch } from './searchers/bayesopt.ts';
import { ConcurrencyLimiter } from './searchers/concurrency-limiter.ts';
import { TPESearch } from './searchers/tpe.ts';
import { NoTrialSessionError, TuneConfigError, TuneError } from './errors.ts';
import { ResultGrid } from './result-grid.ts';
import { ExperimentAnalysis, run } from './run.ts';
import { ASHAScheduler } from './schedulers/asha.ts';
import { FIFOScheduler } from './schedulers/fifo.ts';
import { HyperBandScheduler } from './schedulers/hyperband.ts';
import { MedianStoppingRule } from './schedulers/median-stopping.ts';
import { PopulationBasedTraining } from './schedulers/pbt.ts';
import { withResources } from './trainable.ts';
import { getCheckpoint, report, TrialRunner } from './trial-runner.ts';
import { Tuner } from './tuner.ts';
import { searchSpace } from './worker-api.ts';

/**
 * The `raybox.tune` namespace.
 *
 * @example
 * const { tune } = raybox;
 * const objective = async (config) => { await tune.report({ score: (config.x - 1) ** 2 }); };
 * const grid = await new tune.Tuner(objective, { paramSpace: { x: tune.uniform(0, 2) }, tuneConfig: { metric: 'score', mode: 'min', numSamples: 8 } }).fit();
 * grid.getBestResult().config;
 */
export const tune = {
  // Search spaces
  ...searchSpace,
  // Trainables
  report,
  getCheckpoint,
  withResources,
  // Running
  Tuner,
  ResultGrid,
  run,
  ExperimentAnalysis,
  // Schedulers
  FIFOScheduler,
  ASHAScheduler,
  AsyncHyperBandScheduler: ASHAScheduler,
  HyperBandScheduler,
  MedianStoppingRule,
  PopulationBasedTraining,
  // Searchers
  BasicVariantGenerator,
  TPESearch,
  HyperOptSearch: TPESearch,
  BayesOptSearch,
  ConcurrencyLimiter,
  // Errors
  TuneError,
  TuneConfigError,
  NoTrialSessionError,
  // What trial actors run in workers
  TrialRunner,
};

export type { Result } from './result.ts';
export type { TuneConfig, RunConfig, TunerOptions, TuneCallback, RestoreOptions } from './tuner.ts';
export type { SavedExperiment, SavedTrial } from './experiment-store.ts';
export type { RunOptions } from './run.ts';
export type { Scope } from './best-result.ts';
export type { TrialScheduler, SchedulerDecision, TrialView } from './schedulers/scheduler.ts';
export type { Searcher, Suggestion, SearchProperties } from './searchers/searcher.ts';
