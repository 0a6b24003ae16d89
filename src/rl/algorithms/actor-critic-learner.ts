import { getWeights, setWeights, type Weights } from '../../ml/index.ts';
import type { Rng } from '../env/index.ts';
import { concatBatches, type SampleBatch } from '../env-runner/sample-batch.ts';
import { clipByGlobalNorm } from '../learner/clip-gradients.ts';
import { weightsFromJson, weightsToJson } from '../learner/json-weights.ts';
import type { Learner, LearnerState, StepOutcome, TrainingContext } from '../learner/learner.ts';
import { permutation } from '../learner/shuffle.ts';
import type { ActOptions } from '../models/acting-policy.ts';
import { buildMlp, trainableVariables } from '../models/tf-mlp.ts';
import type { Optimizer, Scalar, Sequential, Tensor, Tensor1D, Tensor2D, Tf, Variable } from '../models/tf-types.ts';
import type { AlgorithmSpec, CommonTrainingOptions } from './algorithm-spec.ts';

/** The columns of one minibatch, as tensors. */
export interface MinibatchTensors {
  obs: Tensor2D;
  actions: Tensor1D;
  oldLogp: Tensor1D;
  advantages: Tensor1D;
  valueTargets: Tensor1D;
}

/** What the policy part of the loss sees: log π(a|s) now, and the minibatch. */
export interface PolicyLossInput {
  logp: Tensor1D;
  batch: MinibatchTensors;
}

/** Settings every actor-critic learner reads. */
export interface ActorCriticOptions extends CommonTrainingOptions {
  vfLossCoeff: number;
  entropyCoeff: number;
  normalizeAdvantages: boolean;
  vfClipParam?: number | null;
}

/**
 * The learner shared by PPO and PG: a policy network and a separate value network, trained
 * together by Adam on `policy loss + vfLossCoeff × value loss − entropyCoeff × entropy`, over
 * `numEpochs` passes of shuffled minibatches of each train batch. Subclasses supply the policy
 * loss (PPO's clipped surrogate, PG's −log π · A) and the GAE λ their runners use.
 *
 * Statistics are read once per iteration, not per step: reading a value back from the backend
 * waits for it, so the loop queues all steps first.
 */
export abstract class ActorCriticLearner<T extends ActorCriticOptions> implements Learner {
  protected readonly tf: Tf;
  protected readonly spec: AlgorithmSpec<T>;
  protected readonly training: T;
  readonly #rng: Rng;
  readonly #pi: Sequential;
  readonly #vf: Sequential;
  readonly #variables: Variable[];
  readonly #optimizer: Optimizer;
  readonly #numActions: number;

  constructor(tf: Tf, spec: AlgorithmSpec<T>, rng: Rng) {
    if (spec.policy.type !== 'actor-critic') throw new Error(`${spec.algorithm} needs an actor-critic policy spec.`);
    this.tf = tf;
    this.spec = spec;
    this.training = spec.training;
    this.#rng = rng;
    this.#pi = buildMlp(tf, spec.policy.pi, { seed: spec.seed, outputScale: 0.01 });
    this.#vf = buildMlp(tf, spec.policy.vf, { seed: spec.seed + 1, outputScale: 1 });
    this.#variables = trainableVariables(this.#pi, this.#vf);
    this.#optimizer = tf.train.adam(spec.training.lr);
    this.#numActions = spec.policy.pi.outputs;
  }

  /** GAE's λ for the runners' advantages. */
  protected abstract get lambda(): number;

  /** The policy part of the loss, a scalar to minimise; it may add statistics to `stats`. */
  protected abstract policyLoss(input: PolicyLossInput, stats: Record<string, Scalar>): Scalar;

  async policyWeights(): Promise<Weights> {
    return [...(await getWeights(this.#pi)), ...(await getWeights(this.#vf))];
  }

  exploration(): ActOptions {
    return { explore: true };
  }

  async trainingStep({ runners }: TrainingContext): Promise<StepOutcome> {
    const start = performance.now();
    const weights = await this.policyWeights();
    const results = await runners.sample({
      numSteps: this.spec.envRunners.rolloutFragmentLength,
      weights,
      explore: true,
      gamma: this.training.gamma,
      lambda: this.lambda,
    });
    const batch = concatBatches(results.map((r) => r.batch));
    const sampled = performance.now();
    const stats = await this.update(batch);
    // Timers, as RLlib reports them: where an iteration's wall time went.
    stats['sampleTimeS'] = (sampled - start) / 1000;
    stats['learnTimeS'] = (performance.now() - sampled) / 1000;
    return { numEnvSteps: batch.count, episodes: results.flatMap((r) => r.episodes), stats };
  }

  /** `numEpochs` passes of minibatch SGD over `batch`; returns the mean statistics. */
  async update(batch: SampleBatch): Promise<Record<string, number>> {
    const tf = this.tf;
    const { advantages, valueTargets, logp } = batch;
    if (!advantages || !valueTargets || !logp) throw new Error('An actor-critic batch needs logp, advantages and valueTargets.');
    const n = batch.count;
    const size = Math.min(this.training.minibatchSize ?? n, n);
    const perEpoch = Math.max(1, Math.floor(n / size));
    const full = {
      obs: tf.tensor2d(batch.obs, [n, batch.obsSize]),
      actions: tf.tensor1d(batch.actions, 'int32'),
      oldLogp: tf.tensor1d(logp),
      advantages: tf.tensor1d(advantages),
      valueTargets: tf.tensor1d(valueTargets),
    };
    const rows: Tensor[] = [];
    let names: string[] = [];
    try {
      for (let epoch = 0; epoch < this.training.numEpochs; epoch++) {
        const order = permutation(n, this.#rng);
        for (let m = 0; m < perEpoch; m++) {
          const row = tf.tidy(() => {
            const index = tf.tensor1d(order.subarray(m * size, (m + 1) * size), 'int32');
            const minibatch: MinibatchTensors = {
              obs: tf.gather(full.obs, index),
              actions: tf.gather(full.actions, index),
              oldLogp: tf.gather(full.oldLogp, index),
              advantages: tf.gather(full.advantages, index),
              valueTargets: tf.gather(full.valueTargets, index),
            };
            const { stats, names: statNames } = this.#step(minibatch);
            names = statNames;
            return stats;
          });
          rows.push(row);
        }
      }
      const means = tf.tidy(() => tf.mean(tf.stack(rows), 0));
      const values = await means.data();
      means.dispose();
      const out: Record<string, number> = {};
      names.forEach((name, i) => (out[name] = values[i] as number));
      out['numGradientSteps'] = rows.length;
      out['lr'] = this.training.lr;
      return out;
    } finally {
      tf.dispose(rows);
      tf.dispose(Object.values(full));
    }
  }

  /** One gradient step on a minibatch; returns its statistics as one tensor (kept out of the tape). */
  #step(batch: MinibatchTensors): { stats: Tensor; names: string[] } {
    const tf = this.tf;
    const t = this.training;
    let kept: Tensor | null = null;
    let names: string[] = [];
    const loss = (): Scalar => {
      const logits = this.#pi.apply(batch.obs) as Tensor2D;
      const logpAll = tf.logSoftmax(logits);
      const logp = tf.sum(tf.mul(logpAll, tf.oneHot(batch.actions, this.#numActions)), 1) as Tensor1D;
      const stats: Record<string, Scalar> = {};
      let advantages = batch.advantages;
      if (t.normalizeAdvantages) {
        const { mean, variance } = tf.moments(advantages);
        advantages = tf.div(tf.sub(advantages, mean), tf.add(tf.sqrt(variance), 1e-8));
      }
      const policyLoss = this.policyLoss({ logp, batch: { ...batch, advantages } }, stats);
      const values = tf.reshape(this.#vf.apply(batch.obs) as Tensor2D, [-1]);
      let squared = tf.square(tf.sub(values, batch.valueTargets));
      if (t.vfClipParam !== undefined && t.vfClipParam !== null) squared = tf.minimum(squared, t.vfClipParam);
      const vfLoss = tf.mean(squared) as Scalar;
      const entropy = tf.mean(tf.neg(tf.sum(tf.mul(tf.exp(logpAll), logpAll), 1))) as Scalar;
      const total = tf.sub(tf.add(policyLoss, tf.mul(vfLoss, t.vfLossCoeff)), tf.mul(entropy, t.entropyCoeff)) as Scalar;
      const all: Record<string, Scalar> = { totalLoss: total, policyLoss, vfLoss, entropy, ...stats };
      names = Object.keys(all);
      kept = tf.keep(tf.stack(Object.values(all)));
      return total;
    };
    const { grads } = this.#optimizer.computeGradients(loss, this.#variables);
    const { grads: clipped, norm } = clipByGlobalNorm(tf, grads, t.gradClip);
    this.#optimizer.applyGradients(clipped);
    const stats = tf.concat([kept as unknown as Tensor1D, tf.reshape(norm, [1]) as Tensor1D]);
    (kept as unknown as Tensor).dispose();
    return { stats, names: [...names, 'gradNorm'] };
  }

  async getState(): Promise<LearnerState> {
    return {
      models: { pi: weightsToJson(await getWeights(this.#pi)), vf: weightsToJson(await getWeights(this.#vf)) },
      counters: {},
    };
  }

  setState(state: LearnerState): void {
    setWeights(this.#pi, weightsFromJson(state.models['pi'] ?? [], 'checkpoint model pi'));
    setWeights(this.#vf, weightsFromJson(state.models['vf'] ?? [], 'checkpoint model vf'));
  }

  dispose(): void {
    this.#pi.dispose();
    this.#vf.dispose();
    this.#optimizer.dispose();
  }
}
