import type { Observation } from '../env/index.ts';
import type { AlgorithmSpec } from '../algorithms/algorithm-spec.ts';
import type { AlgorithmState } from '../algorithms/checkpoint.ts';
import type { EvaluateOptions, EvaluationResult } from '../evaluation.ts';
import type { TrainResult } from '../metrics.ts';
import type { Tf } from '../models/tf-types.ts';
import type { LearnerHost } from './learner-host.ts';

/** The worker's globals, as far as this shell uses them. */
declare const raybox: { rl: { worker: { LearnerHost: typeof LearnerHost } } };
declare const tf: Tf;

/**
 * The actor class an `Algorithm` lives in: a worker of its own for the learner, so training never
 * blocks the page. Actor classes travel as source text and see only globals, so this is a thin
 * shell over `LearnerHost`, which every raybox worker has as `raybox.rl.worker.LearnerHost`.
 *
 * Invariant: this class's source mentions nothing but `raybox`, `tf`, its arguments and `this`.
 */
export class LearnerActor {
  host: LearnerHost;

  constructor(spec: AlgorithmSpec, state: AlgorithmState | null) {
    // Naming the global `tf` makes the worker load TensorFlow.js before this constructor runs,
    // on the backend the pool prescribes (init({ tfBackend })) or else the best one.
    this.host = new raybox.rl.worker.LearnerHost(spec, state, { tf });
  }

  train(): Promise<TrainResult> {
    return this.host.train();
  }

  computeSingleAction(obs: Observation, explore: boolean): Promise<number> {
    return this.host.computeSingleAction(obs, explore);
  }

  actingState(): ReturnType<LearnerHost['actingState']> {
    return this.host.actingState();
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
