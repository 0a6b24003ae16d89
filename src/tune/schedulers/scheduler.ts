import { TuneConfigError } from '../errors.ts';

/** What a scheduler decides after a result (Ray's `TrialScheduler.CONTINUE / STOP / PAUSE`). */
export type SchedulerDecision =
  | 'CONTINUE'
  | 'STOP'
  | 'PAUSE'
  /** PBT: restart the trial from another trial's checkpoint with a new config. */
  | { restart: { config: Record<string, unknown>; checkpoint: unknown } };

/** A trial as schedulers see it. */
export interface TrialView {
  readonly trialId: string;
  readonly config: Record<string, unknown>;
  /** The last checkpoint the trial reported, if any. */
  readonly checkpoint: unknown;
  readonly lastResult: Record<string, unknown> | null;
}

/** A trial scheduler, as Ray's: told of each trial and result, it says whether the trial goes on. */
export interface TrialScheduler {
  setSearchProperties(metric: string | undefined, mode: 'min' | 'max' | undefined): void;
  onTrialAdd(trial: TrialView): void;
  onTrialResult(trial: TrialView, result: Record<string, unknown>): SchedulerDecision;
  onTrialComplete(trial: TrialView, result: Record<string, unknown> | null): void;
  /** Of the paused trials, the one to resume now, if any (synchronous HyperBand). */
  choosePausedToResume?(): string | null;
  /** Paused trials the scheduler has stopped since it was last asked (synchronous HyperBand's halving). */
  takeStoppedPaused?(): string[];
}

/**
 * The metric and mode a scheduler or searcher uses: its own, else the tuner's. Different values
 * in both places are an error, as in Ray.
 */
export function mergeMetric(
  who: string,
  own: { metric: string | undefined; mode: 'min' | 'max' | undefined },
  given: { metric: string | undefined; mode: 'min' | 'max' | undefined },
): { metric: string; mode: 'min' | 'max' } {
  if (own.metric !== undefined && given.metric !== undefined && own.metric !== given.metric) {
    throw new TuneConfigError(`${who} has metric '${own.metric}' but tuneConfig has '${given.metric}': give the metric once, in tuneConfig.`);
  }
  if (own.mode !== undefined && given.mode !== undefined && own.mode !== given.mode) {
    throw new TuneConfigError(`${who} has mode '${own.mode}' but tuneConfig has '${given.mode}': give the mode once, in tuneConfig.`);
  }
  const metric = own.metric ?? given.metric;
  const mode = own.mode ?? given.mode;
  if (metric === undefined || mode === undefined) {
    throw new TuneConfigError(`${who} needs a metric and a mode: give tuneConfig { metric: 'score', mode: 'max' }.`);
  }
  return { metric, mode };
}

/** The metric of `result` as a score to maximise (negated for mode 'min'), or undefined when absent. */
export function score(result: Record<string, unknown>, metric: string, mode: 'min' | 'max'): number | undefined {
  const value = result[metric];
  if (typeof value !== 'number') return undefined;
  return mode === 'min' ? -value : value;
}
