import { AlgorithmConfig } from '../algorithm-config.ts';
import type { CommonTrainingOptions, EnvRunnersOptions, Spaces } from '../algorithm-spec.ts';
import { actorCriticSpec } from '../actor-critic-spec.ts';
import { checkNumber } from '../config-checks.ts';
import type { PolicySpec } from '../../models/policy-spec.ts';

/** PPO's training settings: the shared ones plus the clipped-surrogate objective's. */
export interface PPOTrainingOptions extends CommonTrainingOptions {
  /** GAE's λ: 1 is the Monte Carlo return, 0 one-step TD. @default 0.95 */
  lambda: number;
  /** The surrogate clips the probability ratio to [1 - clipParam, 1 + clipParam]. @default 0.2 */
  clipParam: number;
  /** Weight of the value loss in the total loss. @default 0.5 */
  vfLossCoeff: number;
  /** Weight of the entropy bonus (subtracted from the loss). @default 0 */
  entropyCoeff: number;
  /** Clips each squared value error at this (RLlib's vf_clip_param); null: no clipping. @default null */
  vfClipParam: number | null;
  /** Standardise advantages within each minibatch. @default true */
  normalizeAdvantages: boolean;
}

/** Defaults tuned on CartPole-v1 (see the rl tests and `npm run bench`). */
export const PPO_DEFAULTS: PPOTrainingOptions = {
  lr: 0.001,
  gamma: 0.99,
  trainBatchSize: 2000,
  minibatchSize: 250,
  numEpochs: 10,
  gradClip: 0.5,
  model: { fcnetHiddens: [64, 64], fcnetActivation: 'tanh' },
  lambda: 0.95,
  clipParam: 0.2,
  vfLossCoeff: 0.5,
  entropyCoeff: 0,
  vfClipParam: null,
  normalizeAdvantages: true,
};

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
export class PPOConfig extends AlgorithmConfig<PPOTrainingOptions> {
  readonly algorithm = 'PPO' as const;

  constructor() {
    super(PPO_DEFAULTS, { numEnvRunners: 2, numEnvsPerEnvRunner: 4, rolloutFragmentLength: 'auto' });
  }

  protected checkTraining(t: PPOTrainingOptions, spaces: Spaces): void {
    if (spaces.action.type !== 'Discrete') throw this.actionSpaceError(spaces, 'needs a Discrete action space here (continuous actions are not implemented yet)');
    checkNumber('training.lambda', t.lambda, { min: 0, max: 1, example: 0.95 });
    checkNumber('training.clipParam', t.clipParam, { min: 0, max: 10, minExclusive: true, example: 0.2 });
    checkNumber('training.vfLossCoeff', t.vfLossCoeff, { min: 0, example: 0.5 });
    checkNumber('training.entropyCoeff', t.entropyCoeff, { min: 0, example: 0.01 });
    if (t.vfClipParam !== null) checkNumber('training.vfClipParam', t.vfClipParam, { min: 0, minExclusive: true, example: 10 });
  }

  protected policySpec(t: PPOTrainingOptions, spaces: Spaces, obsSize: number): PolicySpec {
    return actorCriticSpec(t, spaces, obsSize);
  }

  protected autoFragmentLength(t: PPOTrainingOptions, runners: EnvRunnersOptions): number {
    return Math.ceil(t.trainBatchSize / (Math.max(1, runners.numEnvRunners) * runners.numEnvsPerEnvRunner));
  }
}
