import type { Rng } from '../../rl/env/random.ts';
import { TuneConfigError } from '../errors.ts';
import { getPath, setPath } from '../search-space.ts';
import { configOf, encode, lossOf, paramsOf, randomPoint, type Param } from './param-space.ts';
import { rngFor, type SearchProperties, type Searcher, type Suggestion } from './searcher.ts';

/** One finished trial: its point (unit coordinates, category indices) and the loss to minimise. */
export interface Observation {
  point: number[];
  loss: number;
}

/**
 * What TPE and GP search share: the parameters of the space, `pointsToEvaluate` first, a
 * seeded random source, the points of running trials, the observations of finished ones, and
 * `numSamples` suggestions in all.
 */
export abstract class ModelSearcher implements Searcher {
  protected params: Param[] = [];
  protected readonly rng: Rng;
  protected readonly observations: Observation[] = [];
  #space: Record<string, unknown> = {};
  #metric: string | undefined;
  #mode: 'min' | 'max' | undefined;
  #total = 0;
  #suggested = 0;
  readonly #pending = new Map<string, number[]>();
  readonly #initial: Array<Record<string, unknown>>;

  protected constructor(
    readonly who: string,
    options: { seed?: number | undefined; pointsToEvaluate?: Array<Record<string, unknown>> | undefined; metric?: string | undefined; mode?: 'min' | 'max' | undefined },
    readonly numericOnly: boolean,
  ) {
    this.rng = rngFor(options.seed);
    this.#initial = [...(options.pointsToEvaluate ?? [])];
    this.#metric = options.metric;
    this.#mode = options.mode;
  }

  setSearchProperties({ metric, mode, space, numSamples }: SearchProperties): void {
    if ((this.#metric !== undefined && metric !== undefined && metric !== this.#metric) || (this.#mode !== undefined && mode !== undefined && mode !== this.#mode)) {
      throw new TuneConfigError(`${this.who} and tuneConfig name different metrics or modes: give them once, in tuneConfig.`);
    }
    this.#metric ??= metric;
    this.#mode ??= mode;
    if (this.#metric === undefined || this.#mode === undefined) throw new TuneConfigError(`${this.who} needs a metric and a mode: give tuneConfig { metric, mode }.`);
    this.#space = space;
    this.params = paramsOf(space, this.who, this.numericOnly);
    this.#total = numSamples;
  }

  suggest(trialId: string): Suggestion {
    if (this.#suggested >= this.#total) return 'FINISHED';
    this.#suggested++;
    const given = this.#initial.shift();
    const point = given ? this.#pointOf(given) : this.propose();
    this.#pending.set(trialId, point);
    const config = configOf(this.#space, this.params, point);
    // A given point's values are used as given, not as their round trip through [0, 1].
    for (const p of this.params) {
      const value = given ? getPath(given, p.path) : undefined;
      if (value !== undefined) setPath(config, p.path, value);
    }
    return config;
  }

  onTrialComplete(trialId: string, result: Record<string, unknown> | null, _error?: boolean): void {
    const point = this.#pending.get(trialId);
    this.#pending.delete(trialId);
    const loss = lossOf(result, this.#metric, this.#mode);
    if (point && loss !== undefined) this.observations.push({ point, loss });
  }

  getState(): unknown {
    return { observations: this.observations, suggested: this.#suggested };
  }

  setState(state: unknown): void {
    const s = state as { observations: Observation[]; suggested: number };
    this.observations.splice(0, this.observations.length, ...s.observations);
    this.#suggested = s.suggested;
  }

  /** The next point to try, from the observations. */
  protected abstract propose(): number[];

  /** A given config's point; parameters it leaves out are drawn at random. */
  #pointOf(config: Record<string, unknown>): number[] {
    const random = randomPoint(this.params, this.rng);
    return this.params.map((p, i) => {
      const value = getPath(config, p.path);
      return value === undefined ? (random[i] as number) : encode(p, value);
    });
  }
}
