/**
 * Tuner with real workers: trials in actors, tune.report, grids and numSamples, best-result
 * scopes, stop conditions, failing trials, the book's tune.run, bad input before any trial.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, shutdown, tune } from '../../src/index.ts';

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await shutdown();
});

const values = [-1, -0.5, 0, 0.5, 1];

describe('Tuner', () => {
  it("runs chapter 1's 25-trial grid in actors and finds { x: 0, y: 0 }", { timeout: 60_000 }, async () => {
    const objective = (config: Record<string, unknown>) => {
      const x = config.x as number;
      const y = config.y as number;
      void tune.report({ score: x ** 2 + y ** 2 });
    };
    const analysis = await tune.run(objective, { config: { x: tune.gridSearch(values), y: tune.gridSearch(values) }, reuseActors: true });
    expect(analysis.trials).toHaveLength(25);
    expect(analysis.getBestConfig('score', 'min')).toEqual({ x: 0, y: 0 });
    expect(analysis.trials.every((t) => t.metrics.trainingIteration === 1)).toBe(true);
    expect(analysis.trials.map((t) => t.config)[1]).toEqual({ x: -0.5, y: -1 });
  });

  it('increments trainingIteration per report, stops at a stop object, repeats the grid numSamples times', { timeout: 60_000 }, async () => {
    const trainable = async (config: Record<string, unknown>) => {
      for (let i = 0; i < 20; i++) await tune.report({ acc: (config.a as number) * i });
    };
    const grid = await new tune.Tuner(trainable, {
      paramSpace: { a: tune.gridSearch([1, 2]) },
      tuneConfig: { metric: 'acc', mode: 'max', numSamples: 2 },
      runConfig: { stop: { trainingIteration: 5 } },
    }).fit();
    expect(grid.length).toBe(4);
    expect([...grid].map((r) => r.config.a)).toEqual([1, 2, 1, 2]);
    for (const r of grid) {
      expect(r.metricsHistory.map((m) => m.trainingIteration)).toEqual([1, 2, 3, 4, 5]);
      expect(r.metrics.trialId).toBe(r.trialId);
      expect(r.metrics.config).toEqual(r.config);
      expect(typeof r.metrics.timeTotalS).toBe('number');
    }
    expect(grid.getBestResult().config.a).toBe(2);
    expect(grid.getBestResult().metrics.acc).toBe(8);
    expect(grid.numErrors).toBe(0);
    expect(grid.numTerminated).toBe(4);
  });

  it('stops by a stop function, and getBestResult honours every scope', { timeout: 60_000 }, async () => {
    // Trial 'peak' is best at its peak, 'late' best at the end, 'steady' best on average.
    const curves: Record<string, number[]> = {
      peak: [0, 10, 0, 0, 0, 0],
      late: [0, 0, 0, 0, 0, 6],
      steady: [3, 3, 3, 3, 3, 3],
    };
    const trainable = async (config: Record<string, unknown>) => {
      for (const v of config.curve as number[]) await tune.report({ v });
    };
    const grid = await new tune.Tuner(trainable, {
      paramSpace: { name: tune.gridSearch(Object.keys(curves)), curve: tune.sampleFrom((spec) => ({ peak: [0, 10, 0, 0, 0, 0], late: [0, 0, 0, 0, 0, 6], steady: [3, 3, 3, 3, 3, 3] })[spec.config.name as string]) },
      tuneConfig: { metric: 'v', mode: 'max' },
      runConfig: { stop: (_id, result) => (result.trainingIteration as number) >= 6 },
    }).fit();
    expect([...grid].map((r) => r.metricsHistory.length)).toEqual([6, 6, 6]);
    expect(grid.getBestResult('v', 'max', 'last').config.name).toBe('late');
    expect(grid.getBestResult('v', 'max', 'all').config.name).toBe('peak');
    expect(grid.getBestResult('v', 'max', 'avg').config.name).toBe('steady');
    expect(grid.getBestResult('v', 'max', 'last-5-avg').config.name).toBe('steady');
    expect(grid.getBestResult('v', 'min', 'all').config.name).not.toBe('steady');
  });

  it('records a throwing trial with its error and remote stack; the others go on', { timeout: 60_000 }, async () => {
    const trainable = async (config: Record<string, unknown>) => {
      await tune.report({ score: config.x as number });
      if (config.x === 2) throw new RangeError('x = 2 is out of range');
      await tune.report({ score: (config.x as number) * 10 });
    };
    const grid = await new tune.Tuner(trainable, { paramSpace: { x: tune.gridSearch([1, 2, 3]) }, tuneConfig: { metric: 'score', mode: 'max' } }).fit();
    expect(grid.numErrors).toBe(1);
    expect(grid.numTerminated).toBe(2);
    const failed = [...grid].find((r) => r.error);
    expect(failed?.config.x).toBe(2);
    expect(failed?.error?.message).toContain('x = 2 is out of range');
    expect(failed?.error?.message).toContain('Remote stack');
    expect(grid.getBestResult().metrics.score).toBe(30);
  });

  it('uses a returned metrics object as the one result, and runs class trainables', { timeout: 60_000 }, async () => {
    const returning = (config: Record<string, unknown>) => ({ score: (config.x as number) + 1 });
    const analysis = await tune.run(returning, { config: { x: tune.gridSearch([1, 2]) }, metric: 'score', mode: 'max' });
    expect(analysis.bestConfig).toEqual({ x: 2 });
    expect(analysis.bestResult.trainingIteration).toBe(1);

    class Counter {
      n = 0;
      step0 = 0;
      setup(config: Record<string, unknown>) {
        this.step0 = config.step as number;
      }
      step() {
        this.n += this.step0;
        return { n: this.n };
      }
    }
    const grid = await new tune.Tuner(Counter, { paramSpace: { step: tune.gridSearch([1, 3]) }, tuneConfig: { metric: 'n', mode: 'max' }, runConfig: { stop: { trainingIteration: 4 } } }).fit();
    expect([...grid].map((r) => r.metrics.n)).toEqual([4, 12]);
  });

  it('limits trials running at once to maxConcurrentTrials', { timeout: 60_000 }, async () => {
    let running = 0;
    let most = 0;
    const trainable = async () => {
      for (let i = 0; i < 3; i++) await tune.report({ i });
    };
    await new tune.Tuner(trainable, {
      paramSpace: { x: tune.gridSearch([1, 2, 3, 4]) },
      tuneConfig: { maxConcurrentTrials: 1 },
      runConfig: {
        callbacks: [
          {
            onTrialStart: () => {
              running++;
              most = Math.max(most, running);
            },
            onTrialComplete: () => {
              running--;
            },
          },
        ],
      },
    }).fit();
    expect(most).toBe(1);
  });

  it('refuses bad input before any trial starts', () => {
    expect(() => new tune.Tuner('NoSuchAlgo')).toThrow(tune.TuneConfigError);
    expect(() => new tune.Tuner(42)).toThrow(/give a function/);
    expect(() => new tune.Tuner(() => {}, { tuneConfig: { mode: 'best' as 'max' } })).toThrow(/'min' or 'max'/);
    expect(() => tune.report({ a: 1 })).toThrow(tune.NoTrialSessionError);
  });

  it('fails the fit when the metric is never reported', { timeout: 60_000 }, async () => {
    const trainable = async () => {
      await tune.report({ loss: 1 });
    };
    await expect(new tune.Tuner(trainable, { tuneConfig: { metric: 'accuracy', mode: 'max' } }).fit()).rejects.toThrow(/without the metric 'accuracy'/);
  });
});
