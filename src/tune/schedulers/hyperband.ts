import { TuneConfigError } from '../errors.ts';
import { HyperBandBracket } from './hyperband-bracket.ts';
import { mergeMetric, score, type SchedulerDecision, type TrialScheduler, type TrialView } from './scheduler.ts';

export interface HyperBandOptions {
  metric?: string;
  mode?: 'min' | 'max';
  timeAttr?: string;
  maxT?: number;
  reductionFactor?: number;
  stopLastTrials?: boolean;
}

/**
 * Synchronous HyperBand, Ray's `HyperBandScheduler`. Trials fill brackets `s = 0, 1, …` of a band
 * in turn (bracket `s` takes `ceil(sMax1 / (s + 1) · eta^s)` trials starting at milestone
 * `floor(maxT · eta^-s)`); a trial that reaches its bracket's milestone pauses, giving up its slot,
 * until every live trial of the bracket has; then the best `ceil(n / eta)` resume towards
 * `milestone · eta` and the rest stop. A paused trial resumes from its last checkpoint, so a
 * trainable under HyperBand should report checkpoints (as in Ray).
 *
 * @example
 * new tune.HyperBandScheduler({ maxT: 27, reductionFactor: 3 })
 */
export class HyperBandScheduler implements TrialScheduler {
  readonly timeAttr: string;
  readonly maxT: number;
  readonly eta: number;
  readonly stopLastTrials: boolean;
  /** Ray's `_s_max_1`: brackets per band. */
  readonly sMax1: number;
  readonly #own: { metric: string | undefined; mode: 'min' | 'max' | undefined };
  #metric = '';
  #mode: 'min' | 'max' = 'max';
  /** Bands of brackets, in the order they were opened. */
  readonly bands: Array<Array<HyperBandBracket | null>> = [[]];
  #current: HyperBandBracket | null = null;
  readonly #bracketOf = new Map<string, HyperBandBracket>();
  readonly #paused = new Set<string>();
  /** Paused trials a halving let go on, and paused trials it stopped: the tuner takes both. */
  readonly #toResume = new Set<string>();
  #toStop: string[] = [];
  numStopped = 0;

  constructor(options: HyperBandOptions = {}) {
    const { timeAttr = 'trainingIteration', maxT = 81, reductionFactor = 3, stopLastTrials = true } = options;
    if (!(maxT > 0)) throw new TuneConfigError(`HyperBandScheduler: maxT (${maxT}) must be positive, e.g. 81.`);
    if (!(reductionFactor > 1)) throw new TuneConfigError(`HyperBandScheduler: reductionFactor (${reductionFactor}) must be above 1, e.g. 3.`);
    this.timeAttr = timeAttr;
    this.maxT = maxT;
    this.eta = reductionFactor;
    this.stopLastTrials = stopLastTrials;
    this.sMax1 = Math.round(Math.log(maxT) / Math.log(reductionFactor)) + 1;
    this.#own = { metric: options.metric, mode: options.mode };
  }

  setSearchProperties(metric: string | undefined, mode: 'min' | 'max' | undefined): void {
    ({ metric: this.#metric, mode: this.#mode } = mergeMetric('HyperBandScheduler', this.#own, { metric, mode }));
  }

  /** Ray's `_get_n0`: the trials bracket `s` takes. */
  bracketSize(s: number): number {
    return Math.ceil((this.sMax1 / (s + 1)) * this.eta ** s);
  }

  /** Ray's `_get_r0`: bracket `s`'s first milestone. */
  bracketStart(s: number): number {
    return Math.trunc(this.maxT * this.eta ** -s);
  }

  /** Into the current bracket; a full bracket opens the next one of the band, a full band a new band. */
  onTrialAdd(trial: TrialView): void {
    if (this.#current === null || this.#current.filled()) {
      let band = this.bands[this.bands.length - 1] as Array<HyperBandBracket | null>;
      for (;;) {
        if (band.length === this.sMax1) {
          band = [];
          this.bands.push(band);
        }
        const s = band.length;
        if (this.bracketStart(s) === 0) {
          // Too small a bracket: Ray skips it (its band holds a gap there).
          band.push(null);
          continue;
        }
        this.#current = new HyperBandBracket(this.bracketSize(s), this.bracketStart(s), this.maxT, this.eta, s, this.stopLastTrials);
        band.push(this.#current);
        break;
      }
    }
    const bracket = this.#current as HyperBandBracket;
    bracket.add(trial.trialId);
    this.#bracketOf.set(trial.trialId, bracket);
  }

  onTrialResult(trial: TrialView, result: Record<string, unknown>): SchedulerDecision {
    const bracket = this.#bracketOf.get(trial.trialId);
    const t = result[this.timeAttr];
    const value = score(result, this.#metric, this.#mode);
    if (!bracket || !bracket.live.has(trial.trialId) || typeof t !== 'number' || value === undefined) return 'CONTINUE';
    this.#toResume.delete(trial.trialId);
    bracket.update(trial.trialId, t, value);
    if (bracket.continueTrial(trial.trialId)) return 'CONTINUE';
    const decision = this.#processBracket(bracket, trial.trialId);
    if (decision === 'PAUSE') this.#paused.add(trial.trialId);
    return decision;
  }

  /** A trial ended (or failed): out of its bracket, which may now be ready to halve. */
  onTrialComplete(trial: TrialView): void {
    const bracket = this.#bracketOf.get(trial.trialId);
    this.#paused.delete(trial.trialId);
    this.#toResume.delete(trial.trialId);
    if (!bracket) return;
    bracket.live.delete(trial.trialId);
    if (!bracket.finished()) this.#processBracket(bracket, null);
  }

  /** Ray's `_process_bracket`: halve once every live trial has reached the milestone. */
  #processBracket(bracket: HyperBandBracket, current: string | null): 'CONTINUE' | 'STOP' | 'PAUSE' {
    let action: 'CONTINUE' | 'STOP' | 'PAUSE' = 'PAUSE';
    if (!bracket.curIterDone()) return action;
    if (bracket.finished()) {
      for (const id of bracket.live.keys()) if (id !== current && this.#paused.has(id)) this.#stopPaused(id, bracket);
      return 'STOP';
    }
    const { good, bad } = bracket.successiveHalving();
    this.numStopped += bad.length;
    for (const id of bad) {
      if (id === current) {
        bracket.live.delete(id);
        action = 'STOP';
      } else this.#stopPaused(id, bracket);
    }
    for (const id of good) {
      if (!bracket.continueTrial(id)) continue;
      if (id === current) action = 'CONTINUE';
      else if (this.#paused.delete(id)) this.#toResume.add(id);
    }
    return action;
  }

  #stopPaused(trialId: string, bracket: HyperBandBracket): void {
    bracket.live.delete(trialId);
    this.#paused.delete(trialId);
    this.#toStop.push(trialId);
  }

  /** A paused trial to resume now, from the least complete bracket first (Ray's `choose_trial_to_run`). */
  choosePausedToResume(): string | null {
    let best: { id: string; done: number } | null = null;
    for (const id of this.#toResume) {
      const done = this.#bracketOf.get(id)?.completionPercentage() ?? 1;
      if (best === null || done < best.done) best = { id, done };
    }
    if (best === null) return null;
    this.#toResume.delete(best.id);
    return best.id;
  }

  takeStoppedPaused(): string[] {
    const stopped = this.#toStop;
    this.#toStop = [];
    return stopped;
  }

  /** The bracket sizes and first milestones of a full band, e.g. `[[5, 81], [8, 27], [15, 9], [34, 3], [81, 1]]` by default. */
  bandShape(): Array<[number, number]> {
    return Array.from({ length: this.sMax1 }, (_, s) => [this.bracketSize(s), this.bracketStart(s)] as [number, number]);
  }
}
