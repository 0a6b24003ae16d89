import type { Scalar } from '../../models/tf-types.ts';
import { ActorCriticLearner, type PolicyLossInput } from '../actor-critic-learner.ts';
import type { PPOTrainingOptions } from './ppo-options.ts';

/**
 * PPO's learner: the clipped surrogate objective
 * `−mean(min(r·A, clip(r, 1 − ε, 1 + ε)·A))` with `r = π(a|s) / π_old(a|s)`, on GAE(λ)
 * advantages. Reports the approximate KL divergence from the sampling policy (`kl`, the
 * `(r − 1) − log r` estimator) and the fraction of clipped ratios (`clipFraction`).
 */
export class PPOLearner extends ActorCriticLearner<PPOTrainingOptions> {
  protected get lambda(): number {
    return this.training.lambda;
  }

  protected policyLoss({ logp, batch }: PolicyLossInput, stats: Record<string, Scalar>): Scalar {
    const tf = this.tf;
    const epsilon = this.training.clipParam;
    const logRatio = tf.sub(logp, batch.oldLogp);
    const ratio = tf.exp(logRatio);
    const unclipped = tf.mul(ratio, batch.advantages);
    const clipped = tf.mul(tf.clipByValue(ratio, 1 - epsilon, 1 + epsilon), batch.advantages);
    stats['kl'] = tf.mean(tf.sub(tf.sub(ratio, 1), logRatio)) as Scalar;
    stats['clipFraction'] = tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), epsilon), 'float32')) as Scalar;
    return tf.neg(tf.mean(tf.minimum(unclipped, clipped))) as Scalar;
  }
}
