import type { Rng } from '../../rl/env/random.ts';
import { TuneConfigError } from '../errors.ts';
import { rngFor } from '../searchers/searcher.ts';
import { nanPercentile } from './percentile.ts';
import { mergeMetric, score, type SchedulerDecision, type TrialScheduler, type TrialView } from './scheduler.ts';

export interface ASHAOptions {
  metric?: string;
  mode?: 'min' | 'max';
  timeAttr?: string;
  maxT?: number;
  gracePeriod?: number;
  reductionFactor?: number;
  brackets?: number;
  stopLastTrials?: boolean;
  /** Seeds the draw of each trial's bracket. */
  seed?: number;
}

/** One bracket: rungs from the highest milestone down, each with the scores recorded there. */
class Bracket {
  readonly rungs: Array<{ milestone: number; recorded: Map<string, number> }>;

  constructor(
    minT: number,
    readonly maxT: number,
    readonly rf: number,
    s: number,
    readonly stopLastTrials: boolean,
  ) {
    const count = Math.trunc(Math.log(maxT / minT) / Math.log(rf) - s + 1);
    this.rungs = [];
    for (let k = count - 1; k >= 0; k--) this.rungs.push({ milestone: minT * rf ** (k + s), recorded: new Map() });
  }

  /** Ray's `_Bracket.on_result`: at the highest rung reached and not yet recorded, stop below the cut-off. */
  onResult(trialId: string, t: number, value: number | undefined): 'CONTINUE' | 'STOP' {
    let action: 'CONTINUE' | 'STOP' = 'CONTINUE';
    for (const { milestone, recorded } of this.rungs) {
      if (t >= this.maxT && this.stopLastTrials) return 'STOP';
      if (t < milestone || recorded.has(trialId)) continue;
      const cutoff = nanPercentile([...recorded.values()], (1 - 1 / this.rf) * 100);
      if (cutoff !== undefined && value !== undefined && value < cutoff) action = 'STOP';
      if (value !== undefined) recorded.set(trialId, value);
      break;
    }
    return action;
  }
}

/**
 * Asynchronous successive halving, Ray's `ASHAScheduler` (the stopping form): bracket rungs at
 * `gracePeriod · reductionFactor^k`; a trial reaching a rung stops when its score is below the
 * `(1 − 1/reductionFactor)` quantile of the scores recorded there, and at `maxT` in any case.
 *
 * @example
 * new tune.ASHAScheduler({ maxT: 100, gracePeriod: 1, reductionFactor: 4 })
 */
export class ASHAScheduler implements TrialScheduler {
  readonly timeAttr: string;
  readonly maxT: number;
  readonly #own: { metric: string | undefined; mode: 'min' | 'max' | undefined };
  #metric = '';
  #mode: 'min' | 'max' = 'max';
  readonly brackets: Bracket[];
  readonly #trialBracket = new Map<string, Bracket>();
  readonly #rng: Rng;

  constructor(options: ASHAOptions = {}) {
    const { timeAttr = 'trainingIteration', maxT = 100, gracePeriod = 1, reductionFactor = 4, brackets = 1, stopLastTrials = true } = options;
    if (!(gracePeriod > 0) || !(maxT >= gracePeriod)) throw new TuneConfigError(`ASHAScheduler: gracePeriod (${gracePeriod}) must be positive and at most maxT (${maxT}).`);
    if (!(reductionFactor > 1)) throw new TuneConfigError(`ASHAScheduler: reductionFactor (${reductionFactor}) must be above 1, e.g. 4.`);
    if (!Number.isInteger(brackets) || brackets < 1) throw new TuneConfigError(`ASHAScheduler: brackets (${brackets}) must be a positive integer.`);
    this.timeAttr = timeAttr;
    this.maxT = maxT;
    this.#own = { metric: options.metric, mode: options.mode };
    this.brackets = Array.from({ length: brackets }, (_, s) => new Bracket(gracePeriod, maxT, reductionFactor, s, stopLastTrials));
    this.#rng = rngFor(options.seed);
  }

  setSearchProperties(metric: string | undefined, mode: 'min' | 'max' | undefined): void {
    ({ metric: this.#metric, mode: this.#mode } = mergeMetric('ASHAScheduler', this.#own, { metric, mode }));
  }

  /** A bracket drawn by softmax over the brackets' rung counts, as Ray draws it. */
  onTrialAdd(trial: TrialView): void {
    const sizes = this.brackets.map((b) => b.rungs.length);
    const top = Math.max(...sizes);
    const weights = sizes.map((size) => Math.exp(size - top));
    let pick = this.#rng.next() * weights.reduce((a, b) => a + b, 0);
    let index = 0;
    while (index < weights.length - 1 && (pick -= weights[index] as number) >= 0) index++;
    this.#trialBracket.set(trial.trialId, this.brackets[index] as Bracket);
  }

  onTrialResult(trial: TrialView, result: Record<string, unknown>): SchedulerDecision {
    const t = result[this.timeAttr];
    const value = score(result, this.#metric, this.#mode);
    if (typeof t !== 'number' || value === undefined) return 'CONTINUE';
    if (t >= this.maxT && this.brackets[0]?.stopLastTrials) return 'STOP';
    return this.#bracketOf(trial).onResult(trial.trialId, t, value);
  }

  onTrialComplete(trial: TrialView, result: Record<string, unknown> | null): void {
    const t = result?.[this.timeAttr];
    const value = result ? score(result, this.#metric, this.#mode) : undefined;
    if (typeof t === 'number' && value !== undefined) this.#bracketOf(trial).onResult(trial.trialId, t, value);
    this.#trialBracket.delete(trial.trialId);
  }

  #bracketOf(trial: TrialView): Bracket {
    let bracket = this.#trialBracket.get(trial.trialId);
    if (!bracket) {
      this.onTrialAdd(trial);
      bracket = this.#trialBracket.get(trial.trialId) as Bracket;
    }
    return bracket;
  }

  /** The milestones of each bracket, lowest first (e.g. [[1, 4, 16, 64]] by default). */
  milestones(): number[][] {
    return this.brackets.map((b) => b.rungs.map((r) => r.milestone).reverse());
  }
}
