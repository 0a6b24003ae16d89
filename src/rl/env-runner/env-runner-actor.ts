import type { EnvRunner, EnvRunnerSpec, SampleRequest } from './env-runner.ts';
import type { SampleResult } from './sample-batch.ts';

/** The worker's global `raybox`, as far as this shell uses it. */
declare const raybox: { rl: { worker: { EnvRunner: typeof EnvRunner } } };

/**
 * The actor class of a remote env runner. Actor classes travel to workers as source text and
 * see only globals, so this is a thin shell: the logic is `EnvRunner`, which every raybox worker
 * has as `raybox.rl.worker.EnvRunner` (src/worker.ts puts it on the global `raybox`).
 *
 * Invariant: this class's source mentions nothing but `raybox`, its arguments and `this`.
 */
export class EnvRunnerActor {
  runner: EnvRunner;

  constructor(spec: EnvRunnerSpec) {
    this.runner = new raybox.rl.worker.EnvRunner(spec);
  }

  sample(request: SampleRequest): SampleResult {
    return this.runner.sample(request);
  }

  stepsSampled(): number {
    return this.runner.stepsSampled;
  }

  stop(): void {
    this.runner.stop();
  }
}
