import type { Observation } from '../env/index.ts';
import type { AlgorithmSpec } from '../algorithms/algorithm-spec.ts';
import type { AlgorithmState } from '../algorithms/checkpoint.ts';
import type { EvaluateOptions, EvaluationResult } from '../evaluation.ts';
import type { TrainResult } from '../metrics.ts';
import type { LearnerHost } from './learner-host.ts';

/** The worker's global `raybox`, as far as this shell uses it. */
declare const raybox: { rl: { LearnerHost: typeof LearnerHost } };

/**
 * The actor class an `Algorithm` lives in: a worker of its own for the learner, so training never
 * blocks the page. Actor classes travel as source text and see only globals, so this is a thin
 * shell over `LearnerHost`, which every raybox worker has as `raybox.rl.LearnerHost`.
 *
 * Invariant: this class's source mentions nothing but `raybox`, its arguments and `this`.
 */
export class LearnerActor {
  host: LearnerHost;

  constructor(spec: AlgorithmSpec, state: AlgorithmState | null) {
    this.host = new raybox.rl.LearnerHost(spec, state);
  }

  train(): Promise<TrainResult> {
    return this.host.train();
  }

  computeSingleAction(obs: Observation, explore: boolean): Promise<number> {
    return this.host.computeSingleAction(obs, explore);
  }

  evaluate(options: EvaluateOptions): Promise<EvaluationResult> {
    return this.host.evaluate(options);
  }

  save(): Promise<AlgorithmState> {
    return this.host.save();
  }

  stop(): Promise<void> {
    return this.host.stop();
  }
}
