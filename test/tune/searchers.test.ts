/**
 * TPE and GP search on objectives with a known optimum: each reaches it within a bounded number
 * of trials and beats random search's mean regret over several seeds; both repeat exactly for a
 * seed; pointsToEvaluate go first; the ConcurrencyLimiter holds suggestions back.
 */
import { describe, expect, it } from 'vitest';
import { BasicVariantGenerator } from '../../src/tune/searchers/basic-variant.ts';
import { BayesOptSearch } from '../../src/tune/searchers/bayesopt.ts';
import { ConcurrencyLimiter } from '../../src/tune/searchers/concurrency-limiter.ts';
import type { Searcher } from '../../src/tune/searchers/searcher.ts';
import { TPESearch } from '../../src/tune/searchers/tpe.ts';
import { TuneConfigError } from '../../src/tune/errors.ts';
import { choice, gridSearch, uniform } from '../../src/tune/search-space.ts';

/** Minimum 0 at x = 0.3, y = −0.2. */
const bowl = (c: Record<string, unknown>) => ((c.x as number) - 0.3) ** 2 + ((c.y as number) + 0.2) ** 2;
const space = () => ({ x: uniform(-1, 1), y: uniform(-1, 1) });

/** Runs `n` trials one after another; returns the best (lowest) loss found. */
function minimise(searcher: Searcher, n: number, objective = bowl, s: Record<string, unknown> = space()): number {
  searcher.setSearchProperties({ metric: 'loss', mode: 'min', space: s, numSamples: n });
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const config = searcher.suggest(`t${i}`);
    if (typeof config !== 'object') throw new Error(`no suggestion at ${i}: ${config}`);
    const loss = objective(config);
    best = Math.min(best, loss);
    searcher.onTrialComplete(`t${i}`, { loss }, false);
  }
  return best;
}

const seeds = [0, 1, 2, 3, 4];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('TPESearch', () => {
  it('reaches the optimum within 60 trials and beats random search over five seeds', () => {
    const tpe = seeds.map((seed) => minimise(new TPESearch({ seed }), 60));
    const random = seeds.map((seed) => minimise(new BasicVariantGenerator({ seed }), 60));
    for (const regret of tpe) expect(regret).toBeLessThan(0.01);
    expect(mean(tpe)).toBeLessThan(mean(random));
  });

  it('learns which choice is best', () => {
    const objective = (c: Record<string, unknown>) => ({ a: 1, b: 0, c: 2 })[c.opt as 'a' | 'b' | 'c'] + ((c.x as number) - 0.5) ** 2;
    const searcher = new TPESearch({ seed: 3 });
    searcher.setSearchProperties({ metric: 'loss', mode: 'min', space: { opt: choice(['a', 'b', 'c']), x: uniform(0, 1) }, numSamples: 40 });
    const late: unknown[] = [];
    for (let i = 0; i < 40; i++) {
      const config = searcher.suggest(`t${i}`) as Record<string, unknown>;
      if (i >= 25) late.push(config.opt);
      searcher.onTrialComplete(`t${i}`, { loss: objective(config) }, false);
    }
    expect(late.filter((o) => o === 'b').length).toBeGreaterThan(late.length / 2);
  });

  it('repeats exactly for a seed, tries pointsToEvaluate first, and stops after numSamples', () => {
    expect(minimise(new TPESearch({ seed: 9 }), 30)).toBe(minimise(new TPESearch({ seed: 9 }), 30));
    const searcher = new TPESearch({ seed: 0, pointsToEvaluate: [{ x: 0.3, y: -0.2 }, { x: 0.9 }] });
    searcher.setSearchProperties({ metric: 'loss', mode: 'min', space: space(), numSamples: 3 });
    expect(searcher.suggest('a')).toEqual({ x: 0.3, y: -0.2 });
    expect((searcher.suggest('b') as Record<string, unknown>).x).toBeCloseTo(0.9);
    expect(typeof searcher.suggest('c')).toBe('object');
    expect(searcher.suggest('d')).toBe('FINISHED');
  });

  it('refuses grids, and a metric given twice differently', () => {
    expect(() => minimise(new TPESearch(), 1, bowl, { x: gridSearch([1, 2]) })).toThrow(TuneConfigError);
    const searcher = new TPESearch({ metric: 'acc', mode: 'max' });
    expect(() => searcher.setSearchProperties({ metric: 'loss', mode: 'min', space: space(), numSamples: 1 })).toThrow(/different/);
  });
});

describe('BayesOptSearch', () => {
  it('reaches the optimum within 30 trials after 4 random ones and beats random search over five seeds', () => {
    const gp = seeds.map((seed) => minimise(new BayesOptSearch({ randomSearchSteps: 4, seed }), 30));
    const random = seeds.map((seed) => minimise(new BasicVariantGenerator({ seed }), 30));
    for (const regret of gp) expect(regret).toBeLessThan(0.01);
    expect(mean(gp)).toBeLessThan(mean(random));
  });

  it('maximises in mode max and repeats exactly for a seed', () => {
    const run = () => {
      const searcher = new BayesOptSearch({ randomSearchSteps: 4, seed: 5 });
      searcher.setSearchProperties({ metric: 'score', mode: 'max', space: { x: uniform(0, 10) }, numSamples: 20 });
      let best = -Infinity;
      for (let i = 0; i < 20; i++) {
        const c = searcher.suggest(`t${i}`) as Record<string, unknown>;
        const score = -(((c.x as number) - 7) ** 2);
        best = Math.max(best, score);
        searcher.onTrialComplete(`t${i}`, { score }, false);
      }
      return best;
    };
    expect(run()).toBeGreaterThan(-0.01);
    expect(run()).toBe(run());
  });

  it('refuses choices: it models numbers only', () => {
    expect(() => minimise(new BayesOptSearch(), 1, bowl, { opt: choice([1, 2]) })).toThrow(/numbers only/);
  });
});

describe('ConcurrencyLimiter', () => {
  it('waits while maxConcurrent trials run', () => {
    const limiter = new ConcurrencyLimiter(new TPESearch({ seed: 0 }), { maxConcurrent: 2 });
    limiter.setSearchProperties({ metric: 'loss', mode: 'min', space: space(), numSamples: 5 });
    expect(typeof limiter.suggest('a')).toBe('object');
    expect(typeof limiter.suggest('b')).toBe('object');
    expect(limiter.suggest('c')).toBe('WAIT');
    limiter.onTrialComplete('a', { loss: 1 }, false);
    expect(typeof limiter.suggest('c')).toBe('object');
    expect(() => new ConcurrencyLimiter(new TPESearch(), { maxConcurrent: 0 })).toThrow(TuneConfigError);
  });
});
