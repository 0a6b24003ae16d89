import { GaussianProcess } from './gaussian-process.ts';
import { ModelSearcher } from './model-searcher.ts';
import { gaussian } from './normal.ts';
import { randomPoint } from './param-space.ts';

export interface BayesOptOptions {
  /** Random trials before the Gaussian process guides the search (the book uses 4). */
  randomSearchSteps?: number;
  /** UCB's exploration weight (bayes_opt's default 2.576). */
  kappa?: number;
  pointsToEvaluate?: Array<Record<string, unknown>>;
  metric?: string;
  mode?: 'min' | 'max';
  seed?: number;
}

/**
 * Bayesian optimisation with a Gaussian process, as Ray's `BayesOptSearch` (numeric
 * parameters only): after `randomSearchSteps` random trials, each suggestion maximises the
 * upper confidence bound `mean + kappa · sd` over random candidates and candidates near the best
 * point so far. Seeded, so a seed repeats a run exactly.
 *
 * @example
 * new tune.BayesOptSearch({ randomSearchSteps: 4, seed: 0 })
 */
export class BayesOptSearch extends ModelSearcher {
  readonly randomSearchSteps: number;
  readonly kappa: number;

  constructor(options: BayesOptOptions = {}) {
    super('BayesOptSearch', options, true);
    this.randomSearchSteps = options.randomSearchSteps ?? 10;
    this.kappa = options.kappa ?? 2.576;
  }

  protected propose(): number[] {
    if (this.observations.length < Math.max(1, this.randomSearchSteps)) return randomPoint(this.params, this.rng);
    // The GP maximises: the target is the negated loss.
    const gp = new GaussianProcess(
      this.observations.map((o) => o.point),
      this.observations.map((o) => -o.loss),
    );
    const best = [...this.observations].sort((a, b) => a.loss - b.loss)[0]?.point ?? randomPoint(this.params, this.rng);
    let choice = best;
    let top = -Infinity;
    const consider = (p: number[]) => {
      const { mean, sd } = gp.predict(p);
      const ucb = mean + this.kappa * sd;
      if (ucb > top) [choice, top] = [p, ucb];
    };
    for (let c = 0; c < 1000; c++) consider(randomPoint(this.params, this.rng));
    for (let c = 0; c < 200; c++) consider(best.map((v) => Math.min(1, Math.max(0, v + 0.05 * gaussian(() => this.rng.next())))));
    return choice;
  }
}
