import { getWeights, setWeights, type Weights } from '../../../ml/index.ts';
import type { Rng } from '../../env/index.ts';
import type { EpisodeRecord } from '../../env-runner/sample-batch.ts';
import { clipByGlobalNorm } from '../../learner/clip-gradients.ts';
import { weightsFromJson, weightsToJson } from '../../learner/json-weights.ts';
import type { Learner, LearnerState, StepOutcome, TrainingContext } from '../../learner/learner.ts';
import type { ActOptions } from '../../models/acting-policy.ts';
import { buildMlp, trainableVariables } from '../../models/tf-mlp.ts';
import type { Optimizer, Scalar, Sequential, Tensor, Tensor1D, Tensor2D, Tf, Variable } from '../../models/tf-types.ts';
import { ReplayBuffer, type Transitions } from '../../replay/replay-buffer.ts';
import type { AlgorithmSpec } from '../algorithm-spec.ts';
import type { DQNTrainingOptions } from './dqn-options.ts';
import { piecewiseLinear } from './epsilon-schedule.ts';

/**
 * DQN's learner and training step. Each iteration repeats, until at least
 * `minSampleTimestepsPerIteration` env steps were sampled: sample a fragment from every runner
 * acting ε-greedily (ε from the schedule at the current env step), add it to the replay buffer,
 * then, once learning has started, take gradient steps on replayed minibatches, and update the
 * target network every `targetNetworkUpdateFreq` env steps.
 *
 * The TD target is `r + γ · (1 − terminated) · Q_target(s', a*)` with `a* = argmax_a Q(s', a)`
 * (double Q) or `argmax_a Q_target(s', a)`; it is computed outside the gradient tape, so the
 * loss (Huber) moves the online network only.
 */
export class DQNLearner implements Learner {
  readonly #tf: Tf;
  readonly #spec: AlgorithmSpec<DQNTrainingOptions>;
  readonly #t: DQNTrainingOptions;
  readonly #rng: Rng;
  readonly #q: Sequential;
  readonly #target: Sequential;
  readonly #variables: Variable[];
  readonly #optimizer: Optimizer;
  readonly #numActions: number;
  #buffer: ReplayBuffer;
  /** Weights the runners have; null after a gradient step changed the network. */
  #synced: Weights | null = null;
  #lastTargetUpdate = 0;
  #targetUpdates = 0;
  #gradientSteps = 0;
  /** Fractional gradient steps carried between sample rounds (trainingIntensity). */
  #owedSteps = 0;

  constructor(tf: Tf, spec: AlgorithmSpec<DQNTrainingOptions>, rng: Rng) {
    if (spec.policy.type !== 'q') throw new Error('DQN needs a Q policy spec.');
    this.#tf = tf;
    this.#spec = spec;
    this.#t = spec.training;
    this.#rng = rng;
    this.#q = buildMlp(tf, spec.policy.q, { seed: spec.seed });
    this.#target = buildMlp(tf, spec.policy.q, { seed: spec.seed });
    this.#target.setWeights(this.#q.getWeights());
    this.#variables = trainableVariables(this.#q);
    this.#optimizer = tf.train.adam(this.#t.lr);
    this.#numActions = spec.policy.q.outputs;
    this.#buffer = new ReplayBuffer(this.#t.replayBufferCapacity, spec.policy.q.inputs);
  }

  async policyWeights(): Promise<Weights> {
    return getWeights(this.#q);
  }

  exploration(lifetimeSteps: number): ActOptions {
    return { explore: true, epsilon: piecewiseLinear(this.#t.epsilon, lifetimeSteps) };
  }

  async trainingStep({ runners, lifetimeSteps }: TrainingContext): Promise<StepOutcome> {
    const t = this.#t;
    let sampled = 0;
    const episodes: EpisodeRecord[] = [];
    const losses: Scalar[] = [];
    const meanQs: Scalar[] = [];
    let epsilon = piecewiseLinear(t.epsilon, lifetimeSteps);
    let sampleTime = 0;
    let learnTime = 0;
    try {
      while (sampled < t.minSampleTimestepsPerIteration) {
        const now = lifetimeSteps + sampled;
        epsilon = piecewiseLinear(t.epsilon, now);
        const sampleStart = performance.now();
        const fresh = this.#synced === null;
        if (fresh) this.#synced = await getWeights(this.#q);
        const results = await runners.sample({
          numSteps: this.#spec.envRunners.rolloutFragmentLength,
          ...(fresh ? { weights: this.#synced as Weights } : {}),
          explore: true,
          epsilon,
        });
        const learnStart = performance.now();
        sampleTime += learnStart - sampleStart;
        let roundSteps = 0;
        for (const result of results) {
          this.#buffer.add(result.batch);
          roundSteps += result.batch.count;
          episodes.push(...result.episodes);
        }
        sampled += roundSteps;
        const total = lifetimeSteps + sampled;
        if (total >= t.numStepsSampledBeforeLearningStarts && this.#buffer.size >= t.trainBatchSize) {
          for (let i = this.#updatesFor(roundSteps); i > 0; i--) {
            const { loss, meanQ } = this.#update(this.#buffer.sample(t.trainBatchSize, this.#rng));
            losses.push(loss);
            meanQs.push(meanQ);
            this.#synced = null;
          }
        }
        if (total - this.#lastTargetUpdate >= t.targetNetworkUpdateFreq) {
          this.#updateTarget();
          this.#lastTargetUpdate = total;
        }
        learnTime += performance.now() - learnStart;
      }
      const stats: Record<string, number> = {
        epsilon,
        replayBufferSize: this.#buffer.size,
        numGradientSteps: losses.length,
        numTargetUpdates: this.#targetUpdates,
        lr: t.lr,
        sampleTimeS: sampleTime / 1000,
        learnTimeS: learnTime / 1000,
      };
      if (losses.length > 0) {
        const means = this.#tf.tidy(() => this.#tf.stack([this.#tf.mean(this.#tf.stack(losses)), this.#tf.mean(this.#tf.stack(meanQs))]));
        const [qLoss, meanQ] = await means.data();
        means.dispose();
        stats['qLoss'] = qLoss as number;
        stats['meanQ'] = meanQ as number;
      }
      return { numEnvSteps: sampled, episodes, stats };
    } finally {
      this.#tf.dispose([...losses, ...meanQs]);
    }
  }

  /** Gradient steps owed for a round of `steps` env steps. */
  #updatesFor(steps: number): number {
    const intensity = this.#t.trainingIntensity;
    if (intensity === null) return 1;
    this.#owedSteps += (steps * intensity) / this.#t.trainBatchSize;
    const whole = Math.floor(this.#owedSteps);
    this.#owedSteps -= whole;
    return whole;
  }

  /** One gradient step on replayed transitions; returns its loss and mean Q (tensors, read later). */
  #update(batch: Transitions): { loss: Scalar; meanQ: Scalar } {
    const tf = this.#tf;
    const t = this.#t;
    const n = batch.count;
    const size = this.#buffer.obsSize;
    return tf.tidy(() => {
      const obs = tf.tensor2d(batch.obs, [n, size]);
      const nextObs = tf.tensor2d(batch.nextObs, [n, size]);
      const actions = tf.oneHot(tf.tensor1d(batch.actions, 'int32'), this.#numActions);
      // The TD target, outside the tape: no gradient flows into it.
      const targets = tf.tidy(() => {
        const nextTarget = this.#target.apply(nextObs) as Tensor2D;
        const nextAction = t.doubleQ ? tf.argMax(this.#q.apply(nextObs) as Tensor2D, 1) : tf.argMax(nextTarget, 1);
        const nextValue = tf.sum(tf.mul(nextTarget, tf.oneHot(nextAction as Tensor1D, this.#numActions)), 1);
        const notDone = tf.sub(1, tf.tensor1d(batch.terminateds));
        return tf.add(tf.tensor1d(batch.rewards), tf.mul(tf.mul(nextValue, notDone), t.gamma));
      });
      let meanQ: Tensor | null = null;
      const loss = (): Scalar => {
        const q = tf.sum(tf.mul(this.#q.apply(obs) as Tensor2D, actions), 1);
        meanQ = tf.keep(tf.mean(q));
        return tf.losses.huberLoss(targets, q) as Scalar;
      };
      const { value, grads } = this.#optimizer.computeGradients(loss, this.#variables);
      const { grads: clipped } = clipByGlobalNorm(tf, grads, t.gradClip);
      this.#optimizer.applyGradients(clipped);
      this.#gradientSteps++;
      const kept = meanQ as unknown as Scalar;
      const result = { loss: value, meanQ: tf.clone(kept) };
      kept.dispose();
      return result;
    });
  }

  /** target ← τ·online + (1 − τ)·target (a plain copy when τ = 1). */
  #updateTarget(): void {
    const tf = this.#tf;
    const tau = this.#t.tau;
    tf.tidy(() => {
      const online = this.#q.getWeights();
      const target = this.#target.getWeights();
      this.#target.setWeights(tau === 1 ? online : online.map((w, i) => tf.add(tf.mul(w, tau), tf.mul(target[i] as Tensor, 1 - tau))));
    });
    this.#targetUpdates++;
  }

  async getState(): Promise<LearnerState> {
    return {
      models: { q: weightsToJson(await getWeights(this.#q)), target: weightsToJson(await getWeights(this.#target)) },
      counters: { lastTargetUpdate: this.#lastTargetUpdate, targetUpdates: this.#targetUpdates, gradientSteps: this.#gradientSteps },
    };
  }

  setState(state: LearnerState): void {
    setWeights(this.#q, weightsFromJson(state.models['q'] ?? [], 'checkpoint model q'));
    setWeights(this.#target, weightsFromJson(state.models['target'] ?? [], 'checkpoint model target'));
    this.#lastTargetUpdate = state.counters['lastTargetUpdate'] ?? 0;
    this.#targetUpdates = state.counters['targetUpdates'] ?? 0;
    this.#gradientSteps = state.counters['gradientSteps'] ?? 0;
    this.#synced = null;
  }

  dispose(): void {
    this.#q.dispose();
    this.#target.dispose();
    this.#optimizer.dispose();
  }
}
