import type { Scope } from './best-result.ts';
import { TuneConfigError } from './errors.ts';
import type { Result } from './result.ts';
import { ResultGrid } from './result-grid.ts';
import type { TrialScheduler } from './schedulers/scheduler.ts';
import type { Searcher } from './searchers/searcher.ts';
import type { StopCondition } from './stop-condition.ts';
import { withResources, type TrialResources } from './trainable.ts';
import { Tuner, type TuneCallback } from './tuner.ts';

/** The options of the book's `tune.run`. */
export interface RunOptions {
  config?: Record<string, unknown>;
  metric?: string;
  mode?: 'min' | 'max';
  numSamples?: number;
  stop?: StopCondition;
  scheduler?: TrialScheduler;
  searchAlg?: Searcher;
  resourcesPerTrial?: TrialResources;
  name?: string;
  callbacks?: TuneCallback[];
  maxConcurrentTrials?: number;
  timeBudgetS?: number;
  reuseActors?: boolean;
  maxFailures?: number;
}

const RUN_KEYS = new Set(['config', 'metric', 'mode', 'numSamples', 'stop', 'scheduler', 'searchAlg', 'resourcesPerTrial', 'name', 'callbacks', 'maxConcurrentTrials', 'timeBudgetS', 'reuseActors', 'maxFailures']);

/**
 * The book's older result: `tune.run`'s analysis of the trials.
 *
 * @example
 * analysis.getBestConfig('score', 'min'); // { x: 0, y: 0 }
 */
export class ExperimentAnalysis {
  readonly #grid: ResultGrid;
  readonly #metric: string | undefined;
  readonly #mode: 'min' | 'max' | undefined;

  constructor(grid: ResultGrid, metric: string | undefined, mode: 'min' | 'max' | undefined) {
    this.#grid = grid;
    this.#metric = metric;
    this.#mode = mode;
  }

  getBestTrial(metric?: string, mode?: 'min' | 'max', scope: Scope = 'last'): Result {
    return this.#grid.getBestResult(metric ?? this.#metric, mode ?? this.#mode, scope);
  }

  getBestConfig(metric?: string, mode?: 'min' | 'max', scope: Scope = 'last'): Record<string, unknown> {
    return this.getBestTrial(metric, mode, scope).config;
  }

  /** The best config by the run's metric and mode. */
  get bestConfig(): Record<string, unknown> {
    return this.getBestConfig();
  }

  /** The best trial's last result. */
  get bestResult(): Record<string, unknown> {
    return this.getBestTrial().metrics;
  }

  /** Each trial's last result, by trial id. */
  get results(): Record<string, Record<string, unknown>> {
    return Object.fromEntries([...this.#grid].map((r) => [r.trialId, r.metrics]));
  }

  /** All trials' results. */
  get trials(): Result[] {
    return [...this.#grid];
  }

  get resultGrid(): ResultGrid {
    return this.#grid;
  }
}

/**
 * Ray's older entry point, as the book uses it: runs the trials and returns an
 * `ExperimentAnalysis`.
 *
 * @example
 * const analysis = await tune.run(objective, { config: { x: tune.uniform(0, 1) }, numSamples: 10 });
 * analysis.getBestConfig('score', 'min');
 */
export async function run(trainable: unknown, options: RunOptions = {}): Promise<ExperimentAnalysis> {
  for (const key of Object.keys(options)) {
    if (!RUN_KEYS.has(key)) throw new TuneConfigError(`tune.run has no option '${key}'; the options are ${[...RUN_KEYS].join(', ')}.`);
  }
  const { config, metric, mode, numSamples, stop, scheduler, searchAlg, resourcesPerTrial, name, callbacks, maxConcurrentTrials, timeBudgetS, reuseActors, maxFailures } = options;
  const tuneConfig = Object.fromEntries(
    Object.entries({ metric, mode, numSamples, scheduler, searchAlg, maxConcurrentTrials, timeBudgetS, reuseActors }).filter(([, v]) => v !== undefined),
  );
  const runConfig = Object.fromEntries(
    Object.entries({ name, stop, callbacks, failureConfig: maxFailures === undefined ? undefined : { maxFailures } }).filter(([, v]) => v !== undefined),
  );
  const withRes = resourcesPerTrial && typeof trainable !== 'string' ? withResources(trainable, resourcesPerTrial) : trainable;
  const tuner = new Tuner(withRes, { paramSpace: config ?? {}, tuneConfig, runConfig });
  return new ExperimentAnalysis(await tuner.fit(), metric, mode);
}
