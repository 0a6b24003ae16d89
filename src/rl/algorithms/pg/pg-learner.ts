import type { Scalar } from '../../models/tf-types.ts';
import { ActorCriticLearner, type PolicyLossInput } from '../actor-critic-learner.ts';
import type { PGTrainingOptions } from './pg-options.ts';

/**
 * PG's learner: REINFORCE with a baseline, `−mean(log π(a|s) · (G − V(s)))`, where the runners
 * computed `G − V(s)` as GAE with λ = 1 (the discounted return, bootstrapped only where a
 * fragment or time limit cut the episode).
 */
export class PGLearner extends ActorCriticLearner<PGTrainingOptions> {
  protected get lambda(): number {
    return 1;
  }

  protected policyLoss({ logp, batch }: PolicyLossInput): Scalar {
    const tf = this.tf;
    return tf.neg(tf.mean(tf.mul(logp, batch.advantages))) as Scalar;
  }
}
