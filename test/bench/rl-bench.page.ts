import { init, isInitialized, rl } from '../../src/index.ts';
import type { TrainResult } from '../../src/rl/index.ts';

/**
 * The RL benchmark, in-page part: PPO on CartPole-v1 with raybox's default PPO settings, trained
 * until the mean return over the last 100 episodes reaches 450 (or a step cap), once with 1 env
 * runner and once with 2. Returns figures only; `test/bench/run.mjs` opens `rl-bench.html` in
 * Chromium, calls `window.runRlBench()` and stores the result in `test/bench/results/rl.json`.
 *
 * The reference: RLlib's tuned PPO example for CartPole targets a return of 450 within 300,000
 * env steps. raybox's goal: 450 in under 100,000 env steps and under 60 s of wall time.
 */

export interface RlBenchOptions {
  /** Env-runner counts to run, one training run each. @default [1, 2] */
  numEnvRunners?: number[];
  /** Envs per runner; the train batch is split over all envs of all runners. @default 4 */
  numEnvsPerEnvRunner?: number;
  /** Mean return over the last 100 episodes that ends a run. @default 450 */
  targetReturn?: number;
  /** Env steps after which a run stops even below the target. @default 300000 */
  maxEnvSteps?: number;
  /** The config seed of every run. @default 0 */
  seed?: number;
  /** Workers for `init` when the page has not initialised raybox yet (actors get their own). @default 1 */
  numWorkers?: number;
}

/** One training iteration, as the curve records it. */
export interface RlBenchPoint {
  iteration: number;
  envSteps: number;
  episodeReturnMean: number;
  /** Seconds since the algorithm was built. */
  wallS: number;
}

export interface RlBenchRun {
  numEnvRunners: number;
  numEnvsPerEnvRunner: number;
  /** Whether the target was reached within `maxEnvSteps`. */
  reached: boolean;
  /** Env steps sampled when the run ended (at the target, or at the cap). */
  envSteps: { unit: 'steps'; value: number };
  iterations: number;
  /** From build() to the end of the last iteration: actor start-up, TensorFlow.js loading and training. */
  wallTime: { unit: 's'; value: number };
  /** Sum of the iterations' times (what the learner reports as timeTotalS). */
  trainTime: { unit: 's'; value: number };
  /** Env steps per second of wall time, all runners together, updates included. */
  envStepsPerS: { unit: 'steps/s'; value: number };
  /**
   * Env steps per second per runner while sampling: each runner's share of the steps over the
   * iterations' sampling time (weights out, rollouts, batches back).
   */
  samplingEnvStepsPerSPerRunner: { unit: 'steps/s'; value: number };
  /** Seconds the learner spent updating, over all iterations. */
  learnTime: { unit: 's'; value: number };
  finalEpisodeReturnMean: number;
  curve: RlBenchPoint[];
}

export interface RlBenchResult {
  environment: { userAgent: string; hardwareConcurrency: number; crossOriginIsolated: boolean };
  setup: Required<Omit<RlBenchOptions, 'numWorkers'>> & { algorithm: 'PPO'; env: 'CartPole-v1'; training: Record<string, unknown> };
  goal: { envSteps: number; wallS: number; reference: string };
  runs: RlBenchRun[];
  totalMs: number;
}

/**
 * Runs the benchmark. Several minutes on 2 cores.
 *
 * @example
 * const result = await runRlBench();                                        // 1 and 2 runners
 * const quick = await runRlBench({ numEnvRunners: [1], targetReturn: 50 });  // a smoke test
 */
export async function runRlBench(options: RlBenchOptions = {}): Promise<RlBenchResult> {
  const start = performance.now();
  const setup = {
    numEnvRunners: options.numEnvRunners ?? [1, 2],
    numEnvsPerEnvRunner: options.numEnvsPerEnvRunner ?? 4,
    targetReturn: options.targetReturn ?? 450,
    maxEnvSteps: options.maxEnvSteps ?? 300_000,
    seed: options.seed ?? 0,
  };
  if (!isInitialized()) await init({ numWorkers: options.numWorkers ?? 1 });
  const runs: RlBenchRun[] = [];
  for (const numEnvRunners of setup.numEnvRunners) runs.push(await runOnce(numEnvRunners, setup));
  return {
    environment: {
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
    },
    setup: { ...setup, algorithm: 'PPO', env: 'CartPole-v1', training: { ...new rl.PPOConfig().trainingOptions } },
    goal: { envSteps: 100_000, wallS: 60, reference: "RLlib's tuned PPO example: 450 within 300,000 env steps" },
    runs,
    totalMs: performance.now() - start,
  };
}

async function runOnce(numEnvRunners: number, setup: { numEnvsPerEnvRunner: number; targetReturn: number; maxEnvSteps: number; seed: number }): Promise<RlBenchRun> {
  const begin = performance.now();
  const algo = new rl.PPOConfig()
    .environment('CartPole-v1')
    .envRunners({ numEnvRunners, numEnvsPerEnvRunner: setup.numEnvsPerEnvRunner })
    .debugging({ seed: setup.seed })
    .build();
  const curve: RlBenchPoint[] = [];
  let last: TrainResult | undefined;
  let sampleTime = 0;
  let learnTime = 0;
  try {
    for (;;) {
      last = await algo.train();
      sampleTime += last.learner['sampleTimeS'] ?? 0;
      learnTime += last.learner['learnTimeS'] ?? 0;
      curve.push({
        iteration: last.trainingIteration,
        envSteps: last.numEnvStepsSampledLifetime,
        episodeReturnMean: last.episodeReturnMean,
        wallS: (performance.now() - begin) / 1000,
      });
      if (last.episodeReturnMean >= setup.targetReturn || last.numEnvStepsSampledLifetime >= setup.maxEnvSteps) break;
    }
  } finally {
    await algo.stop();
  }
  const wallS = curve.at(-1)?.wallS ?? 0;
  const steps = last?.numEnvStepsSampledLifetime ?? 0;
  return {
    numEnvRunners,
    numEnvsPerEnvRunner: setup.numEnvsPerEnvRunner,
    reached: (last?.episodeReturnMean ?? 0) >= setup.targetReturn,
    envSteps: { unit: 'steps', value: steps },
    iterations: curve.length,
    wallTime: { unit: 's', value: wallS },
    trainTime: { unit: 's', value: last?.timeTotalS ?? 0 },
    envStepsPerS: { unit: 'steps/s', value: wallS > 0 ? steps / wallS : 0 },
    samplingEnvStepsPerSPerRunner: { unit: 'steps/s', value: sampleTime > 0 ? steps / Math.max(1, numEnvRunners) / sampleTime : 0 },
    learnTime: { unit: 's', value: learnTime },
    finalEpisodeReturnMean: last?.episodeReturnMean ?? Number.NaN,
    curve,
  };
}
