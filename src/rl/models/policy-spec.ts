import type { MlpShape } from './model-config.ts';

/**
 * What an env runner must know to act: the kind of policy and its networks' shapes. Plain data,
 * so it travels to runner workers with the runner's spec; the weights follow every iteration.
 *
 * - `actor-critic` (PPO, PG): a policy network giving action logits and a value network giving
 *   V(s); weights are the policy's followed by the value network's.
 * - `q` (DQN): one network giving a Q-value per action; acts ε-greedily.
 */
export type PolicySpec =
  | { type: 'actor-critic'; pi: MlpShape; vf: MlpShape }
  | { type: 'q'; q: MlpShape };
