import { get, init, remote, shutdown } from '../../src/index.ts';
import { median } from './measure.ts';

/**
 * Scaling: Monte Carlo π over a fixed number of equal tasks, on 1 worker and then on 2 (or the
 * counts asked for). CPU-bound work with tiny messages, so the speedup shows how well the
 * scheduler keeps every worker busy; on 2 idle cores the goal is close to 2×.
 */

export interface ScalingOptions {
  /** Tasks per repetition. @default 8 */
  tasks?: number;
  /** Timed repetitions per worker count. @default 3 */
  repetitions?: number;
  /** Worker counts, each a fresh init() after shutdown(). @default [1, 2] */
  workerCounts?: number[];
  /** Calibrate the samples per task so one task takes about this long on one worker. @default 500 */
  targetTaskMs?: number;
}

export interface ScalingRun {
  numWorkers: number;
  wall: { unit: 'ms'; median: number; runs: number[] };
  /** π from the last repetition's samples, a check that the work was done. */
  piEstimate: number;
}

export interface ScalingResult {
  tasks: number;
  samplesPerTask: number;
  /** One task's time on one worker during calibration, ms. */
  calibratedTaskMs: { unit: 'ms'; value: number };
  runs: ScalingRun[];
  /** Median wall time on the first worker count over that on each other count, by worker count. */
  speedup: Record<string, { unit: '×'; value: number }>;
}

/** Counts samples of a seeded generator (mulberry32) that fall inside the unit quarter circle. */
const piTask = remote((samples: number, seed: number): number => {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let inside = 0;
  for (let i = 0; i < samples; i++) {
    const x = random();
    const y = random();
    if (x * x + y * y <= 1) inside++;
  }
  return inside;
});

async function piRound(tasks: number, samples: number): Promise<{ ms: number; pi: number }> {
  const t0 = performance.now();
  const counts = await get(Array.from({ length: tasks }, (_, i) => piTask.remote(samples, i + 1)));
  const ms = performance.now() - t0;
  return { ms, pi: (4 * counts.reduce((a, b) => a + b, 0)) / (tasks * samples) };
}

/**
 * How many samples make one task last `targetMs` on one idle worker (after a JIT warm-up). The
 * fastest of three probes is the estimate: load from elsewhere on the machine only slows a probe.
 */
async function calibrate(targetMs: number): Promise<{ samples: number; taskMs: number }> {
  const probe = 2_000_000;
  await piRound(1, probe);
  let ms = Infinity;
  for (let i = 0; i < 3; i++) ms = Math.min(ms, (await piRound(1, probe)).ms);
  const samples = Math.round(Math.min(100_000_000, Math.max(1_000_000, (probe * targetMs) / ms)) / 1e5) * 1e5;
  return { samples, taskMs: (await piRound(1, samples)).ms };
}

export async function runScaling(options: ScalingOptions = {}): Promise<ScalingResult> {
  const tasks = options.tasks ?? 8;
  const repetitions = options.repetitions ?? 3;
  const workerCounts = options.workerCounts ?? [1, 2];
  await shutdown(); // start from a clean runtime whatever ran before
  let samples = 0;
  let taskMs = 0;
  const runs: ScalingRun[] = [];
  for (const count of workerCounts) {
    const info = await init({ numWorkers: count });
    try {
      if (samples === 0) ({ samples, taskMs } = await calibrate(options.targetTaskMs ?? 500));
      await piRound(info.numWorkers, Math.round(samples / 10)); // every worker compiles the task once, untimed
      const walls: number[] = [];
      let pi = 0;
      for (let r = 0; r < repetitions; r++) {
        const round = await piRound(tasks, samples);
        walls.push(round.ms);
        pi = round.pi;
      }
      runs.push({ numWorkers: info.numWorkers, wall: { unit: 'ms', median: median(walls), runs: walls }, piEstimate: pi });
    } finally {
      await shutdown();
    }
  }
  const speedup: ScalingResult['speedup'] = {};
  const first = runs[0];
  for (const run of runs.slice(1)) {
    if (first) speedup[String(run.numWorkers)] = { unit: '×', value: first.wall.median / run.wall.median };
  }
  return { tasks, samplesPerTask: samples, calibratedTaskMs: { unit: 'ms', value: taskMs }, runs, speedup };
}
