import type { PolicySpec } from '../models/policy-spec.ts';
import { actorCriticSpec } from './actor-critic-spec.ts';
import { AlgorithmConfig } from './algorithm-config.ts';
import type { CommonTrainingOptions, EnvRunnersOptions, Spaces } from './algorithm-spec.ts';
import { checkNumber } from './config-checks.ts';

/** The settings every actor-critic algorithm (PG, PPO) has beyond the shared ones. */
export interface ActorCriticOptions extends CommonTrainingOptions {
  /** Weight of the value loss in the total loss. */
  vfLossCoeff: number;
  /** Weight of the entropy bonus (subtracted from the loss). */
  entropyCoeff: number;
  /** Standardise advantages before the policy loss. */
  normalizeAdvantages: boolean;
}

/**
 * What PG's and PPO's configs share: a policy and a value network (`actorCriticSpec`), Discrete
 * action spaces, the value and entropy weights' checks, and fragments sized so one sample round
 * fills a train batch. Each subclass adds its own settings' checks.
 */
export abstract class ActorCriticConfig<T extends ActorCriticOptions> extends AlgorithmConfig<T> {
  protected constructor(defaults: T) {
    super(defaults, { numEnvRunners: 2, numEnvsPerEnvRunner: 4, rolloutFragmentLength: 'auto' });
  }

  protected checkTraining(t: T, spaces: Spaces): void {
    if (spaces.action.type !== 'Discrete') throw this.actionSpaceError(spaces, 'needs a Discrete action space here (continuous actions are not implemented yet)');
    checkNumber('training.vfLossCoeff', t.vfLossCoeff, { min: 0, example: 0.5 });
    checkNumber('training.entropyCoeff', t.entropyCoeff, { min: 0, example: 0.01 });
  }

  protected policySpec(t: T, spaces: Spaces, obsSize: number): PolicySpec {
    return actorCriticSpec(t, spaces, obsSize);
  }

  protected autoFragmentLength(t: T, runners: EnvRunnersOptions): number {
    return Math.ceil(t.trainBatchSize / (Math.max(1, runners.numEnvRunners) * runners.numEnvsPerEnvRunner));
  }
}
