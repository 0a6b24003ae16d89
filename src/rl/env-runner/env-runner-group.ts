import { get, kill, remote } from '../../core/api.ts';
import type { ActorHandle } from '../../core/actor-handle.ts';
import { EnvRunner, type EnvRunnerSpec, type SampleRequest } from './env-runner.ts';
import { EnvRunnerActor } from './env-runner-actor.ts';
import type { SampleResult } from './sample-batch.ts';

/**
 * RLlib's EnvRunnerGroup: the env runners of one algorithm, sampled in parallel. With
 * `numEnvRunners > 0` each runner is an actor (a worker of its own, local or on a joined peer);
 * with 0 a single `EnvRunner` samples right here, in the learner's worker.
 *
 * Runner `i` (counting the local one as 0) gets seed `seed + 1000 × i`, so runners never share
 * episodes and a config seed fixes them all.
 */
export class EnvRunnerGroup {
  readonly #local: EnvRunner | null;
  readonly #remote: ActorHandle<EnvRunnerActor>[];

  /**
   * @param base - the runner spec with the config's seed; each runner's seed is derived from it.
   * @param numEnvRunners - remote runners; 0 samples locally.
   */
  constructor(base: EnvRunnerSpec, numEnvRunners: number) {
    if (numEnvRunners === 0) {
      this.#local = new EnvRunner(base);
      this.#remote = [];
    } else {
      this.#local = null;
      const Actor = remote(EnvRunnerActor);
      this.#remote = Array.from({ length: numEnvRunners }, (_, i) => Actor.remote({ ...base, seed: base.seed + 1000 * (i + 1) }));
    }
  }

  /** Runners sampling: the remote ones, or 1 for the local one. */
  get size(): number {
    return this.#remote.length || 1;
  }

  /** Samples every runner at once with the same request; results in runner order. */
  async sample(request: SampleRequest): Promise<SampleResult[]> {
    if (this.#local) return [this.#local.sample(request)];
    return get(this.#remote.map((runner) => runner.sample.remote(request)));
  }

  /** Ends the runners' actors (their workers go back to the pool). */
  stop(): void {
    this.#local?.stop();
    for (const runner of this.#remote) kill(runner);
  }
}
