import type { EpisodeRecord } from './env-runner/sample-batch.ts';

/**
 * What `algo.train()` returns after each iteration: RLlib's result dict in camelCase. Episode
 * statistics are over the last `METRICS_WINDOW` finished episodes (RLlib's
 * `metrics_num_episodes_for_smoothing`), so they move smoothly from one iteration to the next;
 * they are NaN until the first episode ends.
 */
export interface TrainResult {
  /** Iterations done, this one included (1 after the first `train()`). */
  trainingIteration: number;
  episodeReturnMean: number;
  episodeReturnMax: number;
  episodeReturnMin: number;
  episodeLenMean: number;
  /** Episodes that ended during this iteration. */
  numEpisodes: number;
  /** Env steps sampled during this iteration, all runners together. */
  numEnvStepsSampled: number;
  /** Env steps sampled since the algorithm was built (or since the checkpoint's run began). */
  numEnvStepsSampledLifetime: number;
  /** Seconds this iteration took. */
  timeThisIterS: number;
  /** Seconds all iterations took together. */
  timeTotalS: number;
  /** The learner's statistics of this iteration, e.g. `policyLoss`, `vfLoss`, `entropy` for PPO. */
  learner: Record<string, number>;
}

/** Episodes the episode statistics average over. */
export const METRICS_WINDOW = 100;

/**
 * The last `size` finished episodes' returns and lengths, for the smoothed statistics.
 *
 * @example
 * const window = new EpisodeWindow();
 * window.add([{ return: 20, length: 20 }]);
 * window.stats().episodeReturnMean; // 20
 */
export class EpisodeWindow {
  readonly size: number;
  #episodes: EpisodeRecord[] = [];

  constructor(size = METRICS_WINDOW) {
    this.size = size;
  }

  add(episodes: readonly EpisodeRecord[]): void {
    this.#episodes.push(...episodes);
    if (this.#episodes.length > this.size) this.#episodes.splice(0, this.#episodes.length - this.size);
  }

  /** Episodes held (at most `size`). */
  get count(): number {
    return this.#episodes.length;
  }

  /** Mean, max and min return and mean length over the window; NaN when it is empty. */
  stats(): Pick<TrainResult, 'episodeReturnMean' | 'episodeReturnMax' | 'episodeReturnMin' | 'episodeLenMean'> {
    return summarise(this.#episodes);
  }

  /** The window's episodes, oldest first (for checkpoints). */
  toJSON(): EpisodeRecord[] {
    return this.#episodes.map((e) => ({ ...e }));
  }
}

/** Mean, max and min return and mean length of `episodes`; NaN when there are none. */
export function summarise(
  episodes: readonly EpisodeRecord[],
): Pick<TrainResult, 'episodeReturnMean' | 'episodeReturnMax' | 'episodeReturnMin' | 'episodeLenMean'> {
  if (episodes.length === 0) {
    return { episodeReturnMean: Number.NaN, episodeReturnMax: Number.NaN, episodeReturnMin: Number.NaN, episodeLenMean: Number.NaN };
  }
  let sum = 0;
  let max = -Infinity;
  let min = Infinity;
  let length = 0;
  for (const e of episodes) {
    sum += e.return;
    max = Math.max(max, e.return);
    min = Math.min(min, e.return);
    length += e.length;
  }
  return { episodeReturnMean: sum / episodes.length, episodeReturnMax: max, episodeReturnMin: min, episodeLenMean: length / episodes.length };
}

/** A hook that publishes each iteration's result, e.g. as a metric event a chart follows. */
export type MetricReporter = (source: string, step: number, values: Record<string, number>) => void;

let reporter: MetricReporter | null = null;

/**
 * Sets where `algo.train()` publishes its results (the facade wires it to `reportMetrics`, so the
 * notebook charts training live). `null` turns publishing off.
 *
 * @example
 * setMetricReporter((source, step, values) => console.log(source, step, values.episodeReturnMean));
 */
export function setMetricReporter(next: MetricReporter | null): void {
  reporter = next;
}

/**
 * Publishes `result` under `source` (e.g. "PPO CartPole-v1"), through the reporter if one is
 * set: the episode statistics, env steps and the learner's statistics (as `learner/<name>`).
 * Values that are not finite (no episode yet) are left out.
 */
export function publishTrainResult(source: string, result: TrainResult): void {
  if (!reporter) return;
  const values: Record<string, number> = {
    episodeReturnMean: result.episodeReturnMean,
    episodeReturnMax: result.episodeReturnMax,
    episodeReturnMin: result.episodeReturnMin,
    episodeLenMean: result.episodeLenMean,
    numEnvStepsSampledLifetime: result.numEnvStepsSampledLifetime,
  };
  for (const [name, value] of Object.entries(result.learner)) values[`learner/${name}`] = value;
  for (const [name, value] of Object.entries(values)) if (!Number.isFinite(value)) delete values[name];
  try {
    reporter(source, result.trainingIteration, values);
  } catch {
    // A reporter that fails (e.g. the runtime was shut down) must not fail training.
  }
}
