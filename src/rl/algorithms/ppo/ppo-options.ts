import type { CommonTrainingOptions } from '../algorithm-spec.ts';

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
