import { get, init, isInitialized, kill, remote, tune } from '../../src/index.ts';

/**
 * The Tune benchmark, in-page part, each figure beside its baseline from the same run:
 * 1. overhead: `trials` trials of a trivial trainable reporting `reports` results each, vs the
 *    same number of actor calls made directly on as many actors as trials run at once, each side
 *    starting its actors (fresh workers) inside its timing (goal ≤ 2×);
 * 2. compute saved: ASHA vs FIFO on a synthetic objective (score = q · (1 − e^(−t/10)), q drawn
 *    per trial, the same seeded trials for both), iterations run at the best score reached
 *    (goal ≥ 3× fewer).
 */
export interface TuneBenchOptions {
  trials?: number;
  reports?: number;
  /** Trials of the ASHA/FIFO comparison. */
  population?: number;
  maxT?: number;
}

export async function runTuneBench(options: TuneBenchOptions = {}) {
  const { trials = 1000, reports = 10, population = 32, maxT = 100 } = options;
  if (!isInitialized()) await init({ numWorkers: 2 });
  const concurrency = 2;

  // 1. Overhead.
  const trivial = async () => {
    for (let i = 0; i < 10; i++) await tune.report({ v: i });
  };
  const tuner = (numSamples: number) => new tune.Tuner(trivial, { tuneConfig: { numSamples, reuseActors: true, maxConcurrentTrials: concurrency } });
  // Warm-up, as every part warms up: the page's code compiled and the worker script cached.
  await tuner(concurrency).fit();
  const t0 = performance.now();
  const grid = await tuner(trials).fit();
  const tuneMs = performance.now() - t0;
  const iterations = [...grid].reduce((sum, r) => sum + Number(r.metrics.trainingIteration), 0);

  const Plain = remote(
    class Plain {
      start() {
        return { ok: true };
      }
      report(i: number) {
        return { v: i };
      }
    },
  );
  // The tuner starts its trial actors inside its run, so the baseline starts its actors inside its own.
  const t1 = performance.now();
  const actors = Array.from({ length: concurrency }, () => Plain.remote());
  await Promise.all(
    actors.map(async (actor, k) => {
      for (let t = k; t < trials; t += concurrency) {
        await get(actor.start.remote());
        for (let i = 0; i < reports; i++) await get(actor.report.remote(i));
      }
    }),
  );
  const plainMs = performance.now() - t1;
  for (const actor of actors) kill(actor);

  // 2. ASHA vs FIFO on the same seeded trials.
  const objective = async (config: Record<string, unknown>) => {
    for (let t = 1; t <= 1000; t++) await tune.report({ score: (config.q as number) * (1 - Math.exp(-t / 10)) });
  };
  const compare = async (scheduler: unknown) => {
    const g = await new tune.Tuner(objective, {
      paramSpace: { q: tune.uniform(0, 1) },
      tuneConfig: { metric: 'score', mode: 'max', numSamples: population, searchAlg: new tune.BasicVariantGenerator({ seed: 0 }), scheduler: scheduler as never, reuseActors: true, maxConcurrentTrials: concurrency },
      runConfig: { stop: { trainingIteration: maxT } },
    }).fit();
    return {
      iterations: [...g].reduce((sum, r) => sum + Number(r.metrics.trainingIteration), 0),
      bestScore: g.getBestResult().metrics.score as number,
    };
  };
  const fifo = await compare(new tune.FIFOScheduler());
  const asha = await compare(new tune.ASHAScheduler({ maxT, gracePeriod: 1, reductionFactor: 4 }));

  return {
    setup: { trials, reports, concurrency, population, maxT },
    overhead: {
      tuneMs: { unit: 'ms', value: tuneMs },
      plainActorCallsMs: { unit: 'ms', value: plainMs },
      ratio: tuneMs / plainMs,
      reportedIterations: iterations,
      goal: '<= 2x',
    },
    ashaVsFifo: { fifo, asha, iterationsSaved: fifo.iterations / asha.iterations, sameBestScore: Math.abs(fifo.bestScore - asha.bestScore) < 1e-12, goal: '>= 3x fewer iterations' },
  };
}
