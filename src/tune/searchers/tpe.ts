import { ModelSearcher, type Observation } from './model-searcher.ts';
import { gaussian, normalCdf, normalPdf } from './normal.ts';
import { randomPoint } from './param-space.ts';
import type { Rng } from '../../rl/env/random.ts';

export interface TPEOptions {
  /** Random trials before the model takes over (Optuna's `n_startup_trials`). */
  nStartupTrials?: number;
  /** Candidates drawn from the good trials' density; the best ratio wins. */
  nEiCandidates?: number;
  /** Configs (whole or partial) tried first, e.g. known good defaults. */
  pointsToEvaluate?: Array<Record<string, unknown>>;
  metric?: string;
  mode?: 'min' | 'max';
  seed?: number;
}

/** A truncated Gaussian mixture on [0, 1]: Parzen estimator over observed points plus a wide prior. */
class Parzen {
  readonly mus: number[];
  readonly sigmas: number[];

  constructor(points: readonly number[]) {
    // The prior (centre 0.5, width 1) keeps the density wide where nothing was tried yet.
    const mus = [...points, 0.5].sort((a, b) => a - b);
    const minSigma = 1 / Math.min(100, mus.length + 1);
    this.mus = mus;
    this.sigmas = mus.map((mu, i) => {
      // Optuna's bandwidth: the wider gap to a neighbour (the bounds at the ends), clipped.
      const left = mu - (i > 0 ? (mus[i - 1] as number) : 0);
      const right = (i < mus.length - 1 ? (mus[i + 1] as number) : 1) - mu;
      return mu === 0.5 && points.length === 0 ? 1 : Math.min(1, Math.max(minSigma, left, right));
    });
    const prior = mus.indexOf(0.5);
    if (prior >= 0) this.sigmas[prior] = 1;
  }

  sample(rng: Rng): number {
    const k = rng.int(this.mus.length);
    const mu = this.mus[k] as number;
    const sigma = this.sigmas[k] as number;
    for (let tries = 0; tries < 20; tries++) {
      const x = mu + sigma * gaussian(() => rng.next());
      if (x >= 0 && x <= 1) return x;
    }
    return Math.min(1, Math.max(0, mu));
  }

  logPdf(x: number): number {
    let sum = 0;
    this.mus.forEach((mu, k) => {
      const sigma = this.sigmas[k] as number;
      const mass = normalCdf((1 - mu) / sigma) - normalCdf((0 - mu) / sigma);
      sum += normalPdf(x, mu, sigma) / Math.max(mass, 1e-12);
    });
    return Math.log(sum / this.mus.length + 1e-300);
  }
}

/** Category probabilities from counts, with one pseudo-count spread over all categories. */
function categoryLogProbs(indices: readonly number[], k: number): number[] {
  const counts = new Array<number>(k).fill(1 / k);
  for (const i of indices) counts[i] = (counts[i] ?? 0) + 1;
  const total = indices.length + 1;
  return counts.map((c) => Math.log(c / total));
}

/**
 * Tree-structured Parzen Estimator, after Optuna's univariate TPE (also exported as
 * `HyperOptSearch`): after `nStartupTrials` random trials, finished trials split into the best
 * `min(ceil(0.1·n), 25)` and the rest; per parameter, candidates drawn from the good trials'
 * density l(x) compete on log l(x) − log g(x). Seeded, so a seed repeats a run exactly.
 *
 * @example
 * new tune.TPESearch({ nStartupTrials: 10, seed: 0, pointsToEvaluate: [{ lr: 0.01 }] })
 */
export class TPESearch extends ModelSearcher {
  readonly nStartupTrials: number;
  readonly nEiCandidates: number;

  constructor(options: TPEOptions = {}) {
    super('TPESearch', options, false);
    this.nStartupTrials = options.nStartupTrials ?? 10;
    this.nEiCandidates = options.nEiCandidates ?? 24;
  }

  protected propose(): number[] {
    if (this.observations.length < this.nStartupTrials) return randomPoint(this.params, this.rng);
    const sorted = [...this.observations].sort((a, b) => a.loss - b.loss);
    const nBelow = Math.max(1, Math.min(Math.ceil(0.1 * sorted.length), 25));
    const below = sorted.slice(0, nBelow);
    const above = sorted.slice(nBelow);
    return this.params.map((param, i) => (param.kind === 'category' ? this.#category(i, param.categories.length, below, above) : this.#number(i, below, above)));
  }

  #number(i: number, below: Observation[], above: Observation[]): number {
    const l = new Parzen(below.map((o) => o.point[i] as number));
    const g = new Parzen(above.map((o) => o.point[i] as number));
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < this.nEiCandidates; c++) {
      const x = l.sample(this.rng);
      const score = l.logPdf(x) - g.logPdf(x);
      if (score > bestScore) [best, bestScore] = [x, score];
    }
    return best;
  }

  #category(i: number, k: number, below: Observation[], above: Observation[]): number {
    const l = categoryLogProbs(below.map((o) => o.point[i] as number), k);
    const g = categoryLogProbs(above.map((o) => o.point[i] as number), k);
    const probs = l.map(Math.exp);
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < this.nEiCandidates; c++) {
      let u = this.rng.next();
      let x = 0;
      while (x < k - 1 && (u -= probs[x] as number) >= 0) x++;
      const score = (l[x] as number) - (g[x] as number);
      if (score > bestScore) [best, bestScore] = [x, score];
    }
    return best;
  }
}
