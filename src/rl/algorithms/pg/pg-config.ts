import { AlgorithmConfig } from '../algorithm-config.ts';
import type { CommonTrainingOptions, EnvRunnersOptions, Spaces } from '../algorithm-spec.ts';
import { actorCriticSpec } from '../actor-critic-spec.ts';
import { checkNumber } from '../config-checks.ts';
import type { PolicySpec } from '../../models/policy-spec.ts';

/** PG's training settings: the shared ones plus the baseline's and the entropy bonus. */
export interface PGTrainingOptions extends CommonTrainingOptions {
  /** Weight of the baseline's (value network's) squared error in the loss. @default 0.5 */
  vfLossCoeff: number;
  /** Weight of the entropy bonus. @default 0 */
  entropyCoeff: number;
  /** Standardise advantages over the train batch. @default true */
  normalizeAdvantages: boolean;
}

export const PG_DEFAULTS: PGTrainingOptions = {
  lr: 0.004,
  gamma: 0.99,
  trainBatchSize: 2000,
  minibatchSize: null,
  numEpochs: 1,
  gradClip: null,
  model: { fcnetHiddens: [64, 64], fcnetActivation: 'tanh' },
  vfLossCoeff: 0.5,
  entropyCoeff: 0,
  normalizeAdvantages: true,
};

/**
 * Vanilla policy gradient: REINFORCE (Williams 1992) with a learned baseline. Each iteration
 * takes one gradient step on the batch's discounted returns minus V(s) (GAE with λ = 1, which
 * bootstraps only where a fragment or a time limit cut an episode). Discrete action spaces.
 *
 * @example
 * const algo = new rl.PGConfig().environment('CartPole-v1').debugging({ seed: 0 }).build();
 * const { episodeReturnMean } = await algo.train();
 */
export class PGConfig extends AlgorithmConfig<PGTrainingOptions> {
  readonly algorithm = 'PG' as const;

  constructor() {
    super(PG_DEFAULTS, { numEnvRunners: 2, numEnvsPerEnvRunner: 4, rolloutFragmentLength: 'auto' });
  }

  protected checkTraining(t: PGTrainingOptions, spaces: Spaces): void {
    if (spaces.action.type !== 'Discrete') throw this.actionSpaceError(spaces, 'needs a Discrete action space here (continuous actions are not implemented yet)');
    checkNumber('training.vfLossCoeff', t.vfLossCoeff, { min: 0, example: 0.5 });
    checkNumber('training.entropyCoeff', t.entropyCoeff, { min: 0, example: 0.01 });
  }

  protected policySpec(t: PGTrainingOptions, spaces: Spaces, obsSize: number): PolicySpec {
    return actorCriticSpec(t, spaces, obsSize);
  }

  protected autoFragmentLength(t: PGTrainingOptions, runners: EnvRunnersOptions): number {
    return Math.ceil(t.trainBatchSize / (Math.max(1, runners.numEnvRunners) * runners.numEnvsPerEnvRunner));
  }
}
