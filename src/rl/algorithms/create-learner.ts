import type { Rng } from '../env/index.ts';
import type { Learner } from '../learner/learner.ts';
import type { Tf } from '../models/tf-types.ts';
import type { AlgorithmName, AlgorithmSpec } from './algorithm-spec.ts';
import type { DQNTrainingOptions } from './dqn/dqn-options.ts';
import { DQNLearner } from './dqn/dqn-learner.ts';
import type { PGTrainingOptions } from './pg/pg-options.ts';
import { PGLearner } from './pg/pg-learner.ts';
import type { PPOTrainingOptions } from './ppo/ppo-options.ts';
import { PPOLearner } from './ppo/ppo-learner.ts';

type LearnerFactory = (tf: Tf, spec: AlgorithmSpec, rng: Rng) => Learner;

/**
 * Each algorithm's learner, by name. The learners depend on their options (leaf files), never on
 * the configs, so the page's config classes and the worker's learners do not import each other.
 * A new algorithm adds its row; the type makes a missing row a compile error.
 */
const LEARNERS: Record<AlgorithmName, LearnerFactory> = {
  PPO: (tf, spec, rng) => new PPOLearner(tf, spec as AlgorithmSpec<PPOTrainingOptions>, rng),
  PG: (tf, spec, rng) => new PGLearner(tf, spec as AlgorithmSpec<PGTrainingOptions>, rng),
  DQN: (tf, spec, rng) => new DQNLearner(tf, spec as AlgorithmSpec<DQNTrainingOptions>, rng),
};

/** The learner of `spec.algorithm`, with its models built (seeded) on `tf`. */
export function createLearner(tf: Tf, spec: AlgorithmSpec, rng: Rng): Learner {
  const create = LEARNERS[spec.algorithm] as LearnerFactory | undefined;
  if (!create) throw new Error(`Unknown algorithm ${JSON.stringify(spec.algorithm)}: known are ${Object.keys(LEARNERS).join(', ')}.`);
  return create(tf, spec, rng);
}
