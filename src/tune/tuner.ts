import { driver } from '../runtime/session.ts';
import { BasicVariantGenerator } from './searchers/basic-variant.ts';
import { TuneConfigError, TuneError } from './errors.ts';
import { deleteExperiment, loadExperiment, listExperiments, saveExperiment, type SavedExperiment, type SavedTrial } from './experiment-store.ts';
import { ResultGrid } from './result-grid.ts';
import { FIFOScheduler } from './schedulers/fifo.ts';
import type { TrialScheduler } from './schedulers/scheduler.ts';
import type { Searcher } from './searchers/searcher.ts';
import { stopTest, type StopCondition } from './stop-condition.ts';
import { trainableSpec, type TrainableSpec } from './trainable.ts';
import { Trial } from './trial.ts';
import { pageProcess, rlProcess, TrialActorPool, type TrialProcess } from './trial-process.ts';
import type { TrialStart } from './trial-runner.ts';
import { publishTrial } from './trial-events.ts';

export interface TuneConfig {
  metric?: string;
  mode?: 'min' | 'max';
  numSamples?: number;
  /** Trials running at once; by default as many as the cluster's CPUs hold. */
  maxConcurrentTrials?: number;
  searchAlg?: Searcher;
  scheduler?: TrialScheduler;
  /** Seconds after which no trial starts and running ones stop. */
  timeBudgetS?: number;
  /** Hands a finished trial's actor to the next trial instead of starting a new one. */
  reuseActors?: boolean;
}

/** Ray's `Callback`, called as trials start, report, end and fail. */
export interface TuneCallback {
  onTrialStart?(iteration: number, trials: readonly Trial[], trial: Trial): void;
  onTrialResult?(iteration: number, trials: readonly Trial[], trial: Trial, result: Record<string, unknown>): void;
  onTrialComplete?(iteration: number, trials: readonly Trial[], trial: Trial): void;
  onTrialError?(iteration: number, trials: readonly Trial[], trial: Trial): void;
}

export interface RunConfig {
  name?: string;
  stop?: StopCondition;
  callbacks?: TuneCallback[];
  checkpointConfig?: { numToKeep?: number };
  /** Restarts of a trial (from its last checkpoint) after it throws or its worker dies. */
  failureConfig?: { maxFailures?: number };
}

/** What `Tuner.restore` does with the saved trials, and what it cannot save (objects with code). */
export interface RestoreOptions {
  /** The search space again: needed when the searcher still has trials to suggest. */
  paramSpace?: Record<string, unknown>;
  searchAlg?: Searcher;
  scheduler?: TrialScheduler;
  callbacks?: TuneCallback[];
  /** Unfinished trials go on from their last checkpoint (else they are kept as they are, ended). @default true */
  resumeUnfinished?: boolean;
  /** Failed trials go on from their last checkpoint. @default false */
  resumeErrored?: boolean;
  /** Failed trials start again from scratch. @default false */
  restartErrored?: boolean;
}

/** Least time between two saves of a running experiment: saves come in bursts of results. */
const SAVE_INTERVAL_MS = 500;

/** How many trials a pausing scheduler is given ahead of their start. */
const MAX_PENDING_TRIALS = 200;

/** What every trial of one `fit()` shares. */
interface RunContext {
  metric: string | undefined;
  mode: 'min' | 'max' | undefined;
  name: string;
  scheduler: TrialScheduler;
  searcher: Searcher;
  shouldStop: (id: string, result: Record<string, unknown>) => boolean;
  newProcess: () => TrialProcess;
  reuseActors: boolean;
  deadline: number;
}

export interface TunerOptions {
  paramSpace?: Record<string, unknown>;
  tuneConfig?: TuneConfig;
  runConfig?: RunConfig;
}

const TUNE_CONFIG_KEYS = new Set(['metric', 'mode', 'numSamples', 'maxConcurrentTrials', 'searchAlg', 'scheduler', 'timeBudgetS', 'reuseActors']);

/** Checks a tune config before any trial starts. */
function checkTuneConfig(config: TuneConfig): void {
  for (const key of Object.keys(config)) {
    if (!TUNE_CONFIG_KEYS.has(key)) throw new TuneConfigError(`tuneConfig has no option '${key}'; the options are ${[...TUNE_CONFIG_KEYS].join(', ')}.`);
  }
  if (config.mode !== undefined && config.mode !== 'min' && config.mode !== 'max') {
    throw new TuneConfigError(`tuneConfig.mode is '${String(config.mode)}': give 'min' or 'max'.`);
  }
  if (config.metric !== undefined && typeof config.metric !== 'string') throw new TuneConfigError('tuneConfig.metric: give the name of a reported metric, e.g. "score".');
  for (const key of ['numSamples', 'maxConcurrentTrials'] as const) {
    const value = config[key];
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new TuneConfigError(`tuneConfig.${key} is ${value}: give a positive integer.`);
  }
}

/**
 * Runs trials of a trainable over a search space, each in an actor, under a search algorithm
 * and a scheduler (Ray's `tune.Tuner`).
 *
 * @example
 * const tuner = new tune.Tuner(objective, {
 *   paramSpace: { x: tune.gridSearch([-1, 0, 1]) },
 *   tuneConfig: { metric: 'score', mode: 'min' },
 * });
 * const best = (await tuner.fit()).getBestResult();
 */
export class Tuner {
  readonly #spec: TrainableSpec;
  readonly #space: Record<string, unknown>;
  readonly #tune: TuneConfig;
  readonly #run: RunConfig;
  readonly #trials: Trial[] = [];
  #iteration = 0;
  #fatal: Error | null = null;
  #restored: { saved: SavedExperiment; options: RestoreOptions } | null = null;
  #searcher: Searcher | null = null;
  /** The next save, due `SAVE_INTERVAL_MS` after the first change it carries. */
  #saveTimer: ReturnType<typeof setTimeout> | null = null;
  /** Saves run one after another: each writes what changed before it began. */
  #saves: Promise<void> = Promise.resolve();
  /** Trials changed since the last save: a save writes only these. */
  readonly #unsaved = new Set<Trial>();
  #saveWarned = false;

  /**
   * Continues an experiment saved in this browser's IndexedDB (every run saves its trials,
   * results, checkpoints and searcher state as it goes), also after a page reload: finished trials
   * are kept, unfinished ones go on from their last checkpoint, failed ones as the options say.
   *
   * @example
   * const grid = await (await tune.Tuner.restore('my-run', objective, { paramSpace })).fit();
   */
  static async restore(name: string, trainable: unknown, options: RestoreOptions = {}): Promise<Tuner> {
    const saved = await loadExperiment(name);
    if (!saved) {
      const known = await listExperiments().catch(() => []);
      throw new TuneError(`No experiment named '${name}' is saved in this browser. Saved ones: ${known.length > 0 ? known.join(', ') : 'none'}. Give runConfig.name when you fit, then restore that name.`);
    }
    const tuner = new Tuner(trainable, {
      ...(options.paramSpace ? { paramSpace: options.paramSpace } : {}),
      tuneConfig: { ...saved.tuneConfig, ...(options.searchAlg ? { searchAlg: options.searchAlg } : {}), ...(options.scheduler ? { scheduler: options.scheduler } : {}) },
      runConfig: { ...saved.runConfig, name, ...(options.callbacks ? { callbacks: options.callbacks } : {}) },
    });
    tuner.#restored = { saved, options };
    return tuner;
  }

  constructor(trainable: unknown, options: TunerOptions = {}) {
    this.#spec = trainableSpec(trainable);
    this.#space = options.paramSpace ?? {};
    this.#tune = options.tuneConfig ?? {};
    this.#run = options.runConfig ?? {};
    checkTuneConfig(this.#tune);
  }

  /** Runs the experiment to its end; trials that throw are recorded and the others go on. */
  async fit(): Promise<ResultGrid> {
    const { metric, mode, numSamples = 1, reuseActors = false } = this.#tune;
    const searcher = this.#tune.searchAlg ?? new BasicVariantGenerator();
    const scheduler: TrialScheduler = this.#tune.scheduler ?? new FIFOScheduler();
    searcher.setSearchProperties({ metric, mode, space: this.#space, numSamples });
    scheduler.setSearchProperties(metric, mode);
    this.#searcher = searcher;
    const shouldStop = stopTest(this.#run.stop);
    const name = this.#run.name ?? `${this.#spec.name}_${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const pool = this.#spec.kind === 'function' ? new TrialActorPool(this.#spec.fn, this.#spec.resources) : null;
    const spec = this.#spec;
    const newProcess = (): TrialProcess =>
      pool ? pool.process() : spec.kind === 'page' ? pageProcess(spec.trainable) : rlProcess((spec as Extract<TrainableSpec, { kind: 'rl' }>).algorithm);
    const deadline = this.#tune.timeBudgetS === undefined ? Infinity : Date.now() + this.#tune.timeBudgetS * 1000;
    const context: RunContext = { metric, mode, name, scheduler, searcher, shouldStop, newProcess, reuseActors, deadline };

    const limit = this.#tune.maxConcurrentTrials ?? this.#defaultConcurrency();
    const running = new Set<Promise<void>>();
    const launch = (trial: Trial, resume: boolean): void => {
      const done: Promise<void> = this.#runTrial(trial, context, resume).finally(() => running.delete(done));
      running.add(done);
    };
    // A scheduler that pauses and resumes trials (synchronous HyperBand) places each trial in a
    // bracket as it is added, so trials are added ahead of their start, as Ray adds pending trials.
    const ahead = scheduler.choosePausedToResume ? MAX_PENDING_TRIALS : 0;
    const pending: Trial[] = [];
    let finished = false;
    const restored = this.#restored ? this.#takeRestored(context) : [];
    // A new run under a name used before replaces what was saved under it.
    if (!this.#restored) await deleteExperiment(name).catch(() => undefined);
    const suggest = (): Trial | null => {
      if (finished) return null;
      const trialId = `${name.slice(0, 24)}_${String(this.#trials.length).padStart(5, '0')}`;
      const suggestion = searcher.suggest(trialId);
      if (suggestion === 'FINISHED') finished = true;
      if (suggestion === 'FINISHED' || suggestion === 'WAIT') return null;
      const trial = new Trial(trialId, suggestion);
      this.#trials.push(trial);
      scheduler.onTrialAdd(trial);
      this.#changed(context, trial);
      return trial;
    };
    try {
      for (;;) {
        this.#endStoppedPaused(context);
        while (!this.#fatal && running.size < limit && Date.now() < deadline) {
          // Paused trials a scheduler lets go on come before new ones (Ray's `choose_trial_to_run`).
          const resumeId = scheduler.choosePausedToResume?.() ?? null;
          if (resumeId !== null) {
            const paused = this.#trials.find((t) => t.trialId === resumeId && t.status === 'PAUSED');
            if (paused) launch(paused, true);
            continue;
          }
          const again = restored.shift();
          if (again) {
            launch(again, true);
            continue;
          }
          while (pending.length < ahead) {
            const added = suggest();
            if (!added) break;
            pending.push(added);
          }
          const trial = pending.shift() ?? (ahead > 0 ? null : suggest());
          if (!trial) break;
          launch(trial, false);
        }
        if (running.size === 0) break;
        await Promise.race(running);
      }
    } finally {
      pool?.close();
    }
    // Trials still paused when the run ends (a time budget, a fatal error) end where they are.
    for (const trial of this.#trials) if (trial.status === 'PAUSED') this.#endTrial(trial, context);
    // The last save goes now rather than when its timer would fire: `fit()` returns once it is written.
    if (this.#saveTimer !== null) clearTimeout(this.#saveTimer);
    this.#saveTimer = null;
    await this.#saves;
    await this.#save(context, !this.#fatal);
    if (this.#fatal) throw this.#fatal;
    return new ResultGrid(
      this.#trials.map((t) => t.toResult()),
      metric,
      mode,
    );
  }

  /** The trials so far, in the order they started (live while `fit()` runs). */
  get trials(): readonly Trial[] {
    return this.#trials;
  }

  #defaultConcurrency(): number {
    const cpus = driver().clusterResources().CPU ?? 1;
    const perTrial = this.#spec.resources.CPU ?? 1;
    // An RL algorithm or a trainer holds its own actors' CPUs: one trial at a time unless asked.
    if (this.#spec.kind === 'rl' || this.#spec.kind === 'page') return 1;
    return Math.max(1, perTrial > 0 ? Math.floor(cpus / perTrial) : cpus);
  }

  /** The saved trials back in place; returns those to run again, in their order. */
  #takeRestored(ctx: RunContext): Trial[] {
    const { saved, options } = this.#restored as { saved: SavedExperiment; options: RestoreOptions };
    const { resumeUnfinished = true, resumeErrored = false, restartErrored = false } = options;
    if (saved.searcherState !== undefined) ctx.searcher.setState?.(saved.searcherState);
    const again: Trial[] = [];
    for (const record of saved.trials) {
      const trial = trialFromRecord(record);
      this.#trials.push(trial);
      const unfinished = trial.status === 'PENDING' || trial.status === 'RUNNING' || trial.status === 'PAUSED';
      if (trial.status === 'ERROR' && (restartErrored || resumeErrored)) {
        if (restartErrored) {
          trial.checkpoint = null;
          trial.checkpointIteration = 0;
        }
        trial.error = null;
        trial.failures = 0;
        again.push(trial);
      } else if (unfinished && resumeUnfinished) again.push(trial);
      else if (unfinished) trial.status = 'TERMINATED';
      if (again[again.length - 1] === trial) {
        trial.status = 'PENDING';
        ctx.scheduler.onTrialAdd(trial);
      }
      publishTrial(ctx.name, trial);
      this.#unsaved.add(trial);
    }
    return again;
  }

  /** A trial changed: tell the dashboard now, and save the experiment soon. */
  #changed(ctx: RunContext, trial: Trial): void {
    publishTrial(ctx.name, trial);
    this.#unsaved.add(trial);
    if (this.#saveTimer !== null) return;
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = null;
      this.#saves = this.#saves.then(() => this.#save(ctx, false));
    }, SAVE_INTERVAL_MS);
  }

  /** Writes the experiment to IndexedDB; a failure to save warns once and never fails the run. */
  async #save(ctx: RunContext, finished: boolean): Promise<void> {
    const { metric, mode, numSamples, maxConcurrentTrials, timeBudgetS, reuseActors } = this.#tune;
    const stop = typeof this.#run.stop === 'function' ? undefined : this.#run.stop;
    const record: Omit<SavedExperiment, 'trials'> = {
      name: ctx.name,
      savedAt: Date.now(),
      finished,
      tuneConfig: plain({ metric, mode, numSamples, maxConcurrentTrials, timeBudgetS, reuseActors }),
      runConfig: plain({ stop, failureConfig: this.#run.failureConfig, checkpointConfig: this.#run.checkpointConfig }),
      searcherState: this.#searcher?.getState?.(),
    };
    const changed = [...this.#unsaved].map(recordOfTrial);
    this.#unsaved.clear();
    try {
      await saveExperiment(record, changed);
    } catch (error) {
      if (!this.#saveWarned) console.warn(`raybox.tune: the experiment '${ctx.name}' could not be saved for a restore:`, error);
      this.#saveWarned = true;
    }
  }

  /** Stops the paused trials the scheduler has let go (synchronous HyperBand's halving). */
  #endStoppedPaused(ctx: RunContext): void {
    for (const id of ctx.scheduler.takeStoppedPaused?.() ?? []) {
      const trial = this.#trials.find((t) => t.trialId === id && t.status === 'PAUSED');
      if (trial) this.#endTrial(trial, ctx);
    }
  }

  #endTrial(trial: Trial, ctx: RunContext): void {
    trial.status = 'TERMINATED';
    this.#changed(ctx, trial);
    for (const cb of this.#run.callbacks ?? []) cb.onTrialComplete?.(this.#iteration, this.#trials, trial);
    ctx.scheduler.onTrialComplete(trial, trial.lastResult);
    ctx.searcher.onTrialComplete(trial.trialId, trial.lastResult, false);
  }

  /** Where a trial goes on after a failure or a pause: its last checkpoint, else from the start. */
  #restartPoint(trial: Trial): TrialStart {
    if (trial.checkpoint === null) trial.results.length = 0;
    else trial.results.splice(trial.checkpointIteration);
    return { trialId: trial.trialId, config: trial.config, checkpoint: trial.checkpoint, iteration: trial.checkpoint === null ? 0 : trial.checkpointIteration };
  }

  async #runTrial(trial: Trial, ctx: RunContext, resume: boolean): Promise<void> {
    const callbacks = this.#run.callbacks ?? [];
    const maxFailures = this.#run.failureConfig?.maxFailures ?? 0;
    let start: TrialStart = resume ? this.#restartPoint(trial) : { trialId: trial.trialId, config: trial.config, checkpoint: null, iteration: 0 };
    let process = ctx.newProcess();
    let reusable = false;
    run: for (;;) {
      try {
        trial.nodeId = (await process.start(start)).nodeId;
        trial.status = 'RUNNING';
        this.#changed(ctx, trial);
        for (const cb of callbacks) cb.onTrialStart?.(this.#iteration, this.#trials, trial);
        for (;;) {
          if (this.#fatal || Date.now() >= ctx.deadline) break run;
          const event = await process.next();
          if (event.type === 'done' && (!event.metrics || trial.results.length > 0)) {
            reusable = ctx.reuseActors;
            break run;
          }
          const metrics = event.metrics ?? {};
          if (event.type === 'done') metrics.trainingIteration = 1;
          const result: Record<string, unknown> = { ...metrics, trialId: trial.trialId, config: trial.config };
          if (event.type === 'result' && event.checkpoint !== undefined) {
            trial.checkpoint = event.checkpoint;
            trial.checkpointIteration = Number(result.trainingIteration);
          }
          trial.results.push(result);
          this.#iteration++;
          if (ctx.metric !== undefined && !(ctx.metric in result)) {
            this.#fatal = new TuneConfigError(
              `Trial ${trial.trialId} reported a result without the metric '${ctx.metric}' (it has ${Object.keys(metrics).join(', ')}). Report '${ctx.metric}' or set tuneConfig.metric to one of those.`,
            );
            break run;
          }
          this.#publish(ctx, trial, result);
          this.#changed(ctx, trial);
          for (const cb of callbacks) cb.onTrialResult?.(this.#iteration, this.#trials, trial, result);
          if (event.type === 'done') {
            reusable = ctx.reuseActors;
            break run;
          }
          ctx.searcher.onTrialResult?.(trial.trialId, result);
          if (ctx.shouldStop(trial.trialId, result)) break run;
          const decision = ctx.scheduler.onTrialResult(trial, result);
          if (decision === 'STOP') break run;
          if (decision === 'PAUSE') {
            // The slot goes to another trial; the scheduler resumes this one from its checkpoint.
            process.stop(false);
            trial.status = 'PAUSED';
            this.#changed(ctx, trial);
            return;
          }
          if (typeof decision === 'object') {
            process.stop(false);
            trial.config = decision.restart.config;
            trial.checkpoint = decision.restart.checkpoint;
            start = { trialId: trial.trialId, config: trial.config, checkpoint: trial.checkpoint, iteration: Number(result.trainingIteration) };
            process = ctx.newProcess();
            continue run;
          }
        }
      } catch (error) {
        process.stop(false);
        trial.failures++;
        if (trial.failures <= maxFailures) {
          start = this.#restartPoint(trial);
          process = ctx.newProcess();
          continue run;
        }
        trial.error = error instanceof Error ? error : new Error(String(error));
        trial.status = 'ERROR';
        this.#changed(ctx, trial);
        for (const cb of callbacks) cb.onTrialError?.(this.#iteration, this.#trials, trial);
        ctx.scheduler.onTrialComplete(trial, trial.lastResult);
        ctx.searcher.onTrialComplete(trial.trialId, trial.lastResult, true);
        return;
      }
    }
    process.stop(reusable);
    this.#endTrial(trial, ctx);
  }

  /** Each result of the tuned metric is a metric event: the notebook draws one curve per trial. */
  #publish(ctx: { metric: string | undefined; name: string }, trial: Trial, result: Record<string, unknown>): void {
    const value = ctx.metric === undefined ? undefined : result[ctx.metric];
    const step = result.trainingIteration;
    if (typeof value !== 'number' || !Number.isFinite(value) || typeof step !== 'number') return;
    try {
      driver().reportMetrics(`${ctx.name}: ${ctx.metric ?? ''}`, step, { [trial.trialId]: value });
    } catch {
      // Publishing is for watching; a failure to publish must not fail the trial.
    }
  }
}

/** The options given, without the undefined ones (IndexedDB keeps them as keys otherwise). */
function plain<T extends Record<string, unknown>>(values: T): T {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as T;
}

function recordOfTrial(trial: Trial): SavedTrial {
  const error = trial.error ? { name: trial.error.name, message: trial.error.message, ...(trial.error.stack ? { stack: trial.error.stack } : {}) } : null;
  return {
    trialId: trial.trialId,
    config: trial.config,
    status: trial.status,
    results: trial.results,
    checkpoint: trial.checkpoint,
    checkpointIteration: trial.checkpointIteration,
    error,
    nodeId: trial.nodeId,
    failures: trial.failures,
  };
}

function trialFromRecord(record: SavedTrial): Trial {
  const trial = new Trial(record.trialId, record.config);
  trial.status = record.status;
  trial.results.push(...record.results);
  trial.checkpoint = record.checkpoint;
  trial.checkpointIteration = record.checkpointIteration;
  trial.nodeId = record.nodeId;
  trial.failures = record.failures;
  if (record.error) {
    const error = new Error(record.error.message);
    error.name = record.error.name;
    if (record.error.stack) error.stack = record.error.stack;
    trial.error = error;
  }
  return trial;
}
