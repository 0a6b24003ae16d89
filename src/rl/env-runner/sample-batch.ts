/**
 * What env runners send to the learner: one iteration's experience as flat typed arrays (they
 * travel by structured clone at memory speed), row `i` of every column being env step `i`.
 * Actor-critic runners (PPO, PG) add their log-probabilities, value predictions and the
 * advantages they computed; Q-learning runners (DQN) add next observations and termination flags.
 */
export interface SampleBatch {
  /** Env steps in the batch. */
  count: number;
  /** Floats per encoded observation. */
  obsSize: number;
  /** `count × obsSize` encoded observations. */
  obs: Float32Array;
  actions: Int32Array;
  rewards: Float32Array;
  /** log π(a|s) when the action was chosen (actor-critic). */
  logp?: Float32Array;
  /** V(s) when the action was chosen (actor-critic). */
  vfPreds?: Float32Array;
  /** GAE advantages (actor-critic). */
  advantages?: Float32Array;
  /** Returns the value network should predict: advantages + vfPreds (actor-critic). */
  valueTargets?: Float32Array;
  /** `count × obsSize` observations after each step, before any reset (Q-learning). */
  nextObs?: Float32Array;
  /** 1 where the step terminated the episode, so there is nothing to bootstrap (Q-learning). */
  terminateds?: Uint8Array;
}

/** A finished episode, as env runners report it for the metrics. */
export interface EpisodeRecord {
  return: number;
  length: number;
}

/** One `sample` call's result. */
export interface SampleResult {
  batch: SampleBatch;
  /** Episodes that ended during the call, in the order they ended. */
  episodes: EpisodeRecord[];
}

type Column = Exclude<keyof SampleBatch, 'count' | 'obsSize'>;
const COLUMNS: readonly Column[] = ['obs', 'actions', 'rewards', 'logp', 'vfPreds', 'advantages', 'valueTargets', 'nextObs', 'terminateds'];

/**
 * Joins batches end to end. Columns present in every batch are kept; a column missing from any
 * batch is dropped (batches of one algorithm always have the same columns).
 *
 * @example
 * const batch = concatBatches(results.map((r) => r.batch));
 */
export function concatBatches(batches: readonly SampleBatch[]): SampleBatch {
  const first = batches[0];
  if (!first) throw new RangeError('concatBatches needs at least one batch.');
  if (batches.length === 1) return first;
  const count = batches.reduce((total, b) => total + b.count, 0);
  const out: SampleBatch = { count, obsSize: first.obsSize, obs: new Float32Array(0), actions: new Int32Array(0), rewards: new Float32Array(0) };
  for (const column of COLUMNS) {
    const parts = batches.map((b) => b[column]);
    if (parts.some((p) => p === undefined)) continue;
    const typed = parts as (Float32Array | Int32Array | Uint8Array)[];
    const joined = new (typed[0]!.constructor as new (n: number) => Float32Array | Int32Array | Uint8Array)(
      typed.reduce((total, p) => total + p.length, 0),
    );
    let offset = 0;
    for (const part of typed) {
      joined.set(part, offset);
      offset += part.length;
    }
    (out as unknown as Record<Column, unknown>)[column] = joined;
  }
  return out;
}
