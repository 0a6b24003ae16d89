import { ActorCriticConfig } from '../actor-critic-config.ts';
import { PG_DEFAULTS, type PGTrainingOptions } from './pg-options.ts';

export { PG_DEFAULTS, type PGTrainingOptions } from './pg-options.ts';

/**
 * Vanilla policy gradient: REINFORCE (Williams 1992) with a learned baseline. Each iteration
 * takes one gradient step on the batch's discounted returns minus V(s) (GAE with λ = 1, which
 * bootstraps only where a fragment or a time limit cut an episode). Discrete action spaces.
 *
 * @example
 * const algo = new rl.PGConfig().environment('CartPole-v1').debugging({ seed: 0 }).build();
 * const { episodeReturnMean } = await algo.train();
 */
export class PGConfig extends ActorCriticConfig<PGTrainingOptions> {
  readonly algorithm = 'PG' as const;

  constructor() {
    super(PG_DEFAULTS);
  }
}
