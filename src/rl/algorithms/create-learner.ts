import type { Rng } from '../env/index.ts';
import type { Learner } from '../learner/learner.ts';
import type { Tf } from '../models/tf-types.ts';
import type { AlgorithmSpec } from './algorithm-spec.ts';
import type { DQNTrainingOptions } from './dqn/dqn-config.ts';
import { DQNLearner } from './dqn/dqn-learner.ts';
import type { PGTrainingOptions } from './pg/pg-config.ts';
import { PGLearner } from './pg/pg-learner.ts';
import type { PPOTrainingOptions } from './ppo/ppo-config.ts';
import { PPOLearner } from './ppo/ppo-learner.ts';

/** The learner of `spec.algorithm`, with its models built (seeded) on `tf`. */
export function createLearner(tf: Tf, spec: AlgorithmSpec, rng: Rng): Learner {
  switch (spec.algorithm) {
    case 'PPO':
      return new PPOLearner(tf, spec as AlgorithmSpec<PPOTrainingOptions>, rng);
    case 'PG':
      return new PGLearner(tf, spec as AlgorithmSpec<PGTrainingOptions>, rng);
    case 'DQN':
      return new DQNLearner(tf, spec as AlgorithmSpec<DQNTrainingOptions>, rng);
    default:
      throw new Error(`Unknown algorithm: ${String(spec.algorithm satisfies never)}`);
  }
}
