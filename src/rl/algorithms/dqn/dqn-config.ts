import { AlgorithmConfigError } from '../../errors.ts';
import type { PolicySpec } from '../../models/policy-spec.ts';
import { AlgorithmConfig } from '../algorithm-config.ts';
import type { Spaces } from '../algorithm-spec.ts';
import { checkNumber, show } from '../config-checks.ts';
import { DQN_DEFAULTS, type DQNTrainingOptions } from './dqn-options.ts';

export { DQN_DEFAULTS, type DQNTrainingOptions } from './dqn-options.ts';

/**
 * Deep Q-Networks (Mnih et al. 2015) with double Q-learning (van Hasselt et al. 2016): an online
 * Q-network trained on minibatches from a replay buffer against a periodically updated target
 * network, with Huber loss, acting ε-greedily on a linear ε schedule. Discrete action spaces.
 *
 * @example
 * const algo = new rl.DQNConfig()
 *   .environment('Maze-v0')
 *   .training({ lr: 0.001, epsilon: [[0, 1], [3000, 0.05]] })
 *   .debugging({ seed: 0 })
 *   .build();
 * await algo.train();
 * (await algo.evaluate({ numEpisodes: 1 })).episodeLenMean; // 8 once it has learned the maze
 */
export class DQNConfig extends AlgorithmConfig<DQNTrainingOptions> {
  readonly algorithm = 'DQN' as const;

  constructor() {
    super(DQN_DEFAULTS, { numEnvRunners: 0, numEnvsPerEnvRunner: 1, rolloutFragmentLength: 'auto' });
  }

  protected checkTraining(t: DQNTrainingOptions, spaces: Spaces): void {
    if (spaces.action.type !== 'Discrete') {
      throw this.actionSpaceError(spaces, 'picks the action with the highest Q-value, so it needs a Discrete action space');
    }
    checkNumber('training.replayBufferCapacity', t.replayBufferCapacity, { min: t.trainBatchSize, max: 10_000_000, integer: true, example: 50_000 });
    checkNumber('training.numStepsSampledBeforeLearningStarts', t.numStepsSampledBeforeLearningStarts, { min: 0, integer: true, example: 1000 });
    checkNumber('training.targetNetworkUpdateFreq', t.targetNetworkUpdateFreq, { min: 1, integer: true, example: 500 });
    checkNumber('training.tau', t.tau, { min: 0, max: 1, minExclusive: true, example: 1 });
    if (t.trainingIntensity !== null) checkNumber('training.trainingIntensity', t.trainingIntensity, { min: 0, minExclusive: true, example: 8 });
    checkNumber('training.minSampleTimestepsPerIteration', t.minSampleTimestepsPerIteration, { min: 1, integer: true, example: 1000 });
    const schedule: unknown = t.epsilon;
    const valid =
      Array.isArray(schedule) &&
      schedule.length > 0 &&
      schedule.every((p, i) => Array.isArray(p) && p.length === 2 && Number.isFinite(p[0]) && p[0] >= 0 && p[1] >= 0 && p[1] <= 1 && (i === 0 || p[0] > (schedule[i - 1] as number[])[0]!));
    if (!valid) {
      throw new AlgorithmConfigError(
        'training.epsilon',
        `training.epsilon must be a list of [envStep, ε] points with increasing envStep ≥ 0 and ε from 0 to 1, e.g. [[0, 1], [10000, 0.05]]; got ${show(schedule)}.`,
      );
    }
  }

  protected policySpec(t: DQNTrainingOptions, spaces: Spaces, obsSize: number): PolicySpec {
    const numActions = spaces.action.type === 'Discrete' ? spaces.action.n : 0;
    return { type: 'q', q: { inputs: obsSize, hiddens: [...t.model.fcnetHiddens], activation: t.model.fcnetActivation, outputs: numActions } };
  }

  protected autoFragmentLength(): number {
    return 4;
  }
}
