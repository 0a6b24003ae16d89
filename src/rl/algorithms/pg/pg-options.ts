import type { CommonTrainingOptions } from '../algorithm-spec.ts';

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
