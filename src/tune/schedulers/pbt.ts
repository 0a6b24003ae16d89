import type { Rng } from '../../rl/env/random.ts';
import { TuneConfigError } from '../errors.ts';
import { rngFor } from '../searchers/searcher.ts';
import { explore, type Mutation } from './pbt-explore.ts';
import { mergeMetric, score, type SchedulerDecision, type TrialScheduler, type TrialView } from './scheduler.ts';

export interface PBTOptions {
  metric?: string;
  mode?: 'min' | 'max';
  timeAttr?: string;
  perturbationInterval?: number;
  burnInPeriod?: number;
  hyperparamMutations?: Record<string, Mutation>;
  quantileFraction?: number;
  resampleProbability?: number;
  perturbationFactors?: readonly number[];
  customExploreFn?: (config: Record<string, unknown>) => Record<string, unknown>;
  seed?: number;
}

interface TrialState {
  view: TrialView;
  lastScore: number | undefined;
  lastPerturbation: number;
}

/** A record of one exploit: who copied whom, and the config before and after explore. */
export interface Exploit {
  trialId: string;
  cloneOf: string;
  oldConfig: Record<string, unknown>;
  newConfig: Record<string, unknown>;
}

/**
 * Population-based training, as Ray's (asynchronous) `PopulationBasedTraining`: every
 * `perturbationInterval`, trials are ranked by their last score; a trial in the bottom
 * `quantileFraction` restarts from the checkpoint of a random top trial (exploit) with that
 * trial's config perturbed (explore). Trainables must report checkpoints for it to copy.
 *
 * @example
 * new tune.PopulationBasedTraining({ timeAttr: 'trainingIteration', perturbationInterval: 4, hyperparamMutations: { lr: tune.loguniform(1e-4, 1e-1) } })
 */
export class PopulationBasedTraining implements TrialScheduler {
  readonly timeAttr: string;
  readonly perturbationInterval: number;
  readonly burnInPeriod: number;
  readonly quantileFraction: number;
  readonly resampleProbability: number;
  readonly perturbationFactors: readonly number[];
  readonly #mutations: Record<string, Mutation>;
  readonly #custom: PBTOptions['customExploreFn'];
  readonly #own: { metric: string | undefined; mode: 'min' | 'max' | undefined };
  #metric = '';
  #mode: 'min' | 'max' = 'max';
  readonly #states = new Map<string, TrialState>();
  readonly #rng: Rng;
  /** Every exploit so far, in order (what the notebook and tests look at). */
  readonly exploits: Exploit[] = [];

  constructor(options: PBTOptions = {}) {
    this.timeAttr = options.timeAttr ?? 'timeTotalS';
    this.perturbationInterval = options.perturbationInterval ?? 60;
    this.burnInPeriod = options.burnInPeriod ?? 0;
    this.quantileFraction = options.quantileFraction ?? 0.25;
    this.resampleProbability = options.resampleProbability ?? 0.25;
    this.perturbationFactors = options.perturbationFactors ?? [1.2, 0.8];
    this.#mutations = options.hyperparamMutations ?? {};
    this.#custom = options.customExploreFn;
    if (Object.keys(this.#mutations).length === 0 && !this.#custom) {
      throw new TuneConfigError('PopulationBasedTraining needs hyperparamMutations (or customExploreFn): name the hyperparameters it may change.');
    }
    if (!(this.quantileFraction > 0 && this.quantileFraction <= 0.5)) {
      throw new TuneConfigError(`PopulationBasedTraining: quantileFraction (${this.quantileFraction}) must be in (0, 0.5].`);
    }
    if (!(this.perturbationInterval > 0)) throw new TuneConfigError(`PopulationBasedTraining: perturbationInterval (${this.perturbationInterval}) must be positive.`);
    this.#own = { metric: options.metric, mode: options.mode };
    this.#rng = rngFor(options.seed);
  }

  setSearchProperties(metric: string | undefined, mode: 'min' | 'max' | undefined): void {
    ({ metric: this.#metric, mode: this.#mode } = mergeMetric('PopulationBasedTraining', this.#own, { metric, mode }));
  }

  onTrialAdd(trial: TrialView): void {
    this.#states.set(trial.trialId, { view: trial, lastScore: undefined, lastPerturbation: 0 });
  }

  onTrialResult(trial: TrialView, result: Record<string, unknown>): SchedulerDecision {
    const t = result[this.timeAttr];
    const value = score(result, this.#metric, this.#mode);
    const state = this.#states.get(trial.trialId);
    if (typeof t !== 'number' || value === undefined || !state) return 'CONTINUE';
    state.view = trial;
    if (t < this.burnInPeriod) return 'CONTINUE';
    if (t - state.lastPerturbation < this.perturbationInterval) return 'CONTINUE';
    state.lastScore = value;
    state.lastPerturbation = t;
    const [lower, upper] = this.#quantiles();
    if (!lower.some((s) => s === state) || upper.length === 0) return 'CONTINUE';
    const clone = upper[this.#rng.int(upper.length)] as TrialState;
    if (clone.view.checkpoint === null || clone.view.checkpoint === undefined) return 'CONTINUE';
    let newConfig = explore(clone.view.config, this.#mutations, this.resampleProbability, this.perturbationFactors, this.#rng);
    if (this.#custom) newConfig = this.#custom(newConfig);
    this.exploits.push({ trialId: trial.trialId, cloneOf: clone.view.trialId, oldConfig: clone.view.config, newConfig });
    return { restart: { config: newConfig, checkpoint: clone.view.checkpoint } };
  }

  /** A finished trial stays ranked, as in Ray: its last checkpoint can still be copied. */
  onTrialComplete(): void {}

  /** Bottom and top trials by last score: `ceil(n · q)` each, at most half of n. */
  #quantiles(): [TrialState[], TrialState[]] {
    const scored = [...this.#states.values()].filter((s) => s.lastScore !== undefined).sort((a, b) => (a.lastScore as number) - (b.lastScore as number));
    if (scored.length <= 1) return [[], []];
    let n = Math.ceil(scored.length * this.quantileFraction);
    if (n > scored.length / 2) n = Math.floor(scored.length / 2);
    return [scored.slice(0, n), scored.slice(scored.length - n)];
  }
}
