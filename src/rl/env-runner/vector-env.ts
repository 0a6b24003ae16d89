import type { Env, Observation } from '../env/index.ts';
import type { EpisodeRecord } from './sample-batch.ts';

/** What one `step` of all envs returned, per env. */
export interface VectorStep {
  rewards: Float32Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  /** The observation each step produced, before any reset (s' of the transition). */
  finalObs: Observation[];
  /** Episodes that ended in this step. */
  episodes: EpisodeRecord[];
}

/**
 * Several copies of one environment stepped together, resetting each as its episode ends
 * (Gymnasium's autoreset). Episodes carry on across `step` calls, so a runner's rollout fragments
 * cut episodes wherever they fall, as RLlib's do.
 *
 * Seeds: env `j` is reset with `seed + j` the first time and carries on its own random stream
 * afterwards (Gymnasium's rule), so the run is reproducible and no two envs start alike.
 */
export class VectorEnv {
  readonly envs: readonly Env[];
  readonly #obs: Observation[];
  readonly #returns: Float64Array;
  readonly #lengths: Int32Array;

  constructor(envs: readonly Env[], seed: number) {
    if (envs.length === 0) throw new RangeError('VectorEnv needs at least one env.');
    this.envs = envs;
    this.#obs = envs.map((env, j) => env.reset({ seed: seed + j }).obs);
    this.#returns = new Float64Array(envs.length);
    this.#lengths = new Int32Array(envs.length);
  }

  get numEnvs(): number {
    return this.envs.length;
  }

  /** The current observation of each env (the next one to act on). */
  get observations(): readonly Observation[] {
    return this.#obs;
  }

  /** Steps env `j` with `actions[j]`; an env whose episode ends is reset at once. */
  step(actions: ArrayLike<number>): VectorStep {
    const n = this.envs.length;
    const result: VectorStep = {
      rewards: new Float32Array(n),
      terminated: new Uint8Array(n),
      truncated: new Uint8Array(n),
      finalObs: new Array<Observation>(n),
      episodes: [],
    };
    for (let j = 0; j < n; j++) {
      const env = this.envs[j] as Env;
      const step = env.step(actions[j] as number);
      result.rewards[j] = step.reward;
      result.terminated[j] = step.terminated ? 1 : 0;
      result.truncated[j] = step.truncated && !step.terminated ? 1 : 0;
      result.finalObs[j] = step.obs;
      this.#returns[j] = (this.#returns[j] as number) + step.reward;
      this.#lengths[j] = (this.#lengths[j] as number) + 1;
      if (step.terminated || step.truncated) {
        result.episodes.push({ return: this.#returns[j] as number, length: this.#lengths[j] as number });
        this.#returns[j] = 0;
        this.#lengths[j] = 0;
        this.#obs[j] = env.reset().obs;
      } else {
        this.#obs[j] = step.obs;
      }
    }
    return result;
  }

  close(): void {
    for (const env of this.envs) env.close();
  }
}
