import { ActorCriticConfig } from '../actor-critic-config.ts';
import type { Spaces } from '../algorithm-spec.ts';
import { checkNumber } from '../config-checks.ts';
import { PPO_DEFAULTS, type PPOTrainingOptions } from './ppo-options.ts';

export { PPO_DEFAULTS, type PPOTrainingOptions } from './ppo-options.ts';

/**
 * Proximal Policy Optimization (Schulman et al. 2017): GAE advantages, the clipped surrogate
 * objective, a value loss and an entropy bonus, optimised by minibatch SGD (Adam) over several
 * epochs of each train batch. Discrete action spaces.
 *
 * @example
 * const algo = new rl.PPOConfig()
 *   .environment('CartPole-v1')
 *   .envRunners({ numEnvRunners: 2, numEnvsPerEnvRunner: 4 })
 *   .training({ lr: 0.001, trainBatchSize: 2000, minibatchSize: 250, numEpochs: 10 })
 *   .debugging({ seed: 1 })
 *   .build();
 * for (let i = 0; i < 20; i++) console.log((await algo.train()).episodeReturnMean);
 */
export class PPOConfig extends ActorCriticConfig<PPOTrainingOptions> {
  readonly algorithm = 'PPO' as const;

  constructor() {
    super(PPO_DEFAULTS);
  }

  protected override checkTraining(t: PPOTrainingOptions, spaces: Spaces): void {
    super.checkTraining(t, spaces);
    checkNumber('training.lambda', t.lambda, { min: 0, max: 1, example: 0.95 });
    checkNumber('training.clipParam', t.clipParam, { min: 0, max: 10, minExclusive: true, example: 0.2 });
    if (t.vfClipParam !== null) checkNumber('training.vfClipParam', t.vfClipParam, { min: 0, minExclusive: true, example: 10 });
  }
}
