import { median } from './percentile.ts';
import { mergeMetric, score, type SchedulerDecision, type TrialScheduler, type TrialView } from './scheduler.ts';

export interface MedianStoppingOptions {
  metric?: string;
  mode?: 'min' | 'max';
  timeAttr?: string;
  gracePeriod?: number;
  minSamplesRequired?: number;
}

/**
 * Ray's median stopping rule: past the grace period, a trial stops when its best score so far is
 * below the median of the other trials' running means up to the same time.
 *
 * @example
 * new tune.MedianStoppingRule({ timeAttr: 'trainingIteration', gracePeriod: 3 })
 */
export class MedianStoppingRule implements TrialScheduler {
  readonly timeAttr: string;
  readonly gracePeriod: number;
  readonly minSamplesRequired: number;
  readonly #own: { metric: string | undefined; mode: 'min' | 'max' | undefined };
  #metric = '';
  #mode: 'min' | 'max' = 'max';
  /** Each trial's (time, score) pairs, in order. */
  readonly #results = new Map<string, Array<{ t: number; score: number }>>();

  constructor(options: MedianStoppingOptions = {}) {
    this.timeAttr = options.timeAttr ?? 'timeTotalS';
    this.gracePeriod = options.gracePeriod ?? 60;
    this.minSamplesRequired = options.minSamplesRequired ?? 3;
    this.#own = { metric: options.metric, mode: options.mode };
  }

  setSearchProperties(metric: string | undefined, mode: 'min' | 'max' | undefined): void {
    ({ metric: this.#metric, mode: this.#mode } = mergeMetric('MedianStoppingRule', this.#own, { metric, mode }));
  }

  onTrialAdd(): void {}

  onTrialResult(trial: TrialView, result: Record<string, unknown>): SchedulerDecision {
    const t = result[this.timeAttr];
    const value = score(result, this.#metric, this.#mode);
    if (typeof t !== 'number' || value === undefined) return 'CONTINUE';
    const own = this.#results.get(trial.trialId) ?? [];
    own.push({ t, score: value });
    this.#results.set(trial.trialId, own);
    if (t < this.gracePeriod) return 'CONTINUE';
    const others = [...this.#results].filter(([id, rs]) => id !== trial.trialId && (rs[rs.length - 1]?.t ?? -Infinity) >= t);
    if (others.length < this.minSamplesRequired) return 'CONTINUE';
    const means = others.map(([, rs]) => {
      const upTo = rs.filter((r) => r.t <= t);
      return upTo.reduce((sum, r) => sum + r.score, 0) / upTo.length;
    });
    const best = Math.max(...own.map((r) => r.score));
    const mid = median(means);
    return mid !== undefined && best < mid ? 'STOP' : 'CONTINUE';
  }

  onTrialComplete(): void {}
}
