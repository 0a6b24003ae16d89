import type { Env, Rng } from '../env/index.ts';
import { createRng } from '../env/index.ts';
import type { EnvSpec } from '../env-source.ts';
import { makeEnvFromSpec } from '../env-source.ts';
import { ActingPolicy } from '../models/acting-policy.ts';
import type { WeightData } from '../models/js-mlp.ts';
import { obsEncoder, type ObsEncoder } from '../models/obs-encoder.ts';
import type { PolicySpec } from '../models/policy-spec.ts';
import { computeGae } from './advantages.ts';
import type { EpisodeRecord, SampleBatch, SampleResult } from './sample-batch.ts';
import { VectorEnv } from './vector-env.ts';

/** Everything an env runner is built from: plain data, so it can be an actor's constructor argument. */
export interface EnvRunnerSpec {
  env: EnvSpec;
  /** Copies of the env this runner steps together (`numEnvsPerEnvRunner`). */
  numEnvs: number;
  /** This runner's own seed: its envs reset with `seed + j`, its action sampling derives from it. */
  seed: number;
  policy: PolicySpec;
}

/** One `sample` call. */
export interface SampleRequest {
  /** Steps per env: the batch has `numSteps × numEnvs` rows. */
  numSteps: number;
  /** The learner's current weights; omitted to keep the ones loaded last. */
  weights?: readonly WeightData[];
  /** Sample actions (true, training) or take the best (false). @default true */
  explore?: boolean;
  /** ε of ε-greedy exploration (Q policies). */
  epsilon?: number;
  /** Discount and GAE λ, for actor-critic policies' advantages. */
  gamma?: number;
  lambda?: number;
}

/**
 * RLlib's EnvRunner: steps `numEnvs` copies of an environment with the current policy and
 * returns the experience as a `SampleBatch`. Each step the policy acts on all envs' observations
 * in one batched forward pass (`ActingPolicy`, plain JavaScript, no TensorFlow.js).
 * Actor-critic runners also compute GAE advantages before sending, as RLlib's postprocessing
 * does, so the learner gets ready-to-train batches.
 *
 * It runs wherever it is built: inside an `EnvRunnerActor` (a worker of its own), or in the
 * learner's worker when `numEnvRunners` is 0.
 *
 * @example
 * const runner = new EnvRunner({ env: { id: 'CartPole-v1', config: {} }, numEnvs: 4, seed: 1, policy });
 * const { batch, episodes } = runner.sample({ numSteps: 128, weights, gamma: 0.99, lambda: 0.95 });
 */
export class EnvRunner {
  readonly spec: EnvRunnerSpec;
  readonly #envs: VectorEnv;
  readonly #encoder: ObsEncoder;
  readonly #policy: ActingPolicy;
  readonly #rng: Rng;
  #stepsSampled = 0;

  constructor(spec: EnvRunnerSpec) {
    this.spec = spec;
    const envs: Env[] = Array.from({ length: spec.numEnvs }, () => makeEnvFromSpec(spec.env));
    this.#encoder = obsEncoder((envs[0] as Env).observationSpace);
    this.#envs = new VectorEnv(envs, spec.seed);
    this.#policy = new ActingPolicy(spec.policy);
    this.#rng = createRng(spec.seed + 7_919);
  }

  /** Env steps this runner has taken in all. */
  get stepsSampled(): number {
    return this.#stepsSampled;
  }

  /** Steps every env `request.numSteps` times and returns the experience. */
  sample(request: SampleRequest): SampleResult {
    if (request.weights) this.#policy.setWeights(request.weights);
    if (!this.#policy.ready) throw new Error('EnvRunner.sample: the first request must carry the learner\'s weights.');
    const steps = request.numSteps;
    const numEnvs = this.#envs.numEnvs;
    const size = this.#encoder.size;
    const rows = steps * numEnvs;
    const actorCritic = this.spec.policy.type === 'actor-critic';
    const explore = request.explore ?? true;
    const epsilon = request.epsilon ?? 0;

    const obs = new Float32Array(rows * size);
    const actions = new Int32Array(rows);
    const rewards = new Float32Array(rows);
    const terminated = new Uint8Array(rows);
    const truncated = new Uint8Array(rows);
    const logp = actorCritic ? new Float32Array(rows) : null;
    const values = actorCritic ? new Float32Array(rows) : null;
    const truncatedValues = actorCritic ? new Float32Array(rows) : null;
    const nextObs = actorCritic ? null : new Float32Array(rows * size);
    const episodes: EpisodeRecord[] = [];
    const finalScratch = new Float32Array(size);

    for (let t = 0; t < steps; t++) {
      const base = t * numEnvs;
      const current = this.#envs.observations;
      for (let e = 0; e < numEnvs; e++) this.#encoder.encode(current[e] as number | Float32Array, obs, (base + e) * size);
      const stepObs = obs.subarray(base * size, (base + numEnvs) * size);
      const acted = this.#policy.act(stepObs, numEnvs, { explore, epsilon }, this.#rng);
      actions.set(acted.actions, base);
      if (logp && acted.logp) logp.set(acted.logp, base);
      if (values && acted.values) values.set(acted.values, base);

      const result = this.#envs.step(acted.actions);
      rewards.set(result.rewards, base);
      terminated.set(result.terminated, base);
      truncated.set(result.truncated, base);
      episodes.push(...result.episodes);
      for (let e = 0; e < numEnvs; e++) {
        const final = result.finalObs[e] as number | Float32Array;
        if (nextObs) this.#encoder.encode(final, nextObs, (base + e) * size);
        else if (truncatedValues && result.truncated[e]) {
          this.#encoder.encode(final, finalScratch, 0);
          truncatedValues[base + e] = this.#policy.values(finalScratch, 1)[0] as number;
        }
      }
    }
    this.#stepsSampled += rows;

    const batch: SampleBatch = { count: rows, obsSize: size, obs, actions, rewards };
    if (actorCritic && logp && values && truncatedValues) {
      const next = new Float32Array(numEnvs * size);
      this.#envs.observations.forEach((o, e) => this.#encoder.encode(o, next, e * size));
      const lastValues = this.#policy.values(next, numEnvs);
      const { advantages, valueTargets } = computeGae({
        numSteps: steps,
        numEnvs,
        rewards,
        values,
        terminated,
        truncated,
        truncatedValues,
        lastValues,
        gamma: request.gamma ?? 0.99,
        lambda: request.lambda ?? 1,
      });
      Object.assign(batch, { logp, vfPreds: values, advantages, valueTargets });
    } else if (nextObs) {
      Object.assign(batch, { nextObs, terminateds: terminated });
    }
    return { batch, episodes };
  }

  /** Closes the envs. */
  stop(): void {
    this.#envs.close();
  }
}
