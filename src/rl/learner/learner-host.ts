import { loadTf } from '../../ml/index.ts';
import type { Observation, Rng } from '../env/index.ts';
import { createRng } from '../env/index.ts';
import { makeEnvFromSpec } from '../env-source.ts';
import { EnvRunnerGroup } from '../env-runner/env-runner-group.ts';
import type { AlgorithmSpec } from '../algorithms/algorithm-spec.ts';
import type { AlgorithmState } from '../algorithms/checkpoint.ts';
import { createLearner } from '../algorithms/create-learner.ts';
import { AlgorithmStoppedError } from '../errors.ts';
import { runEpisodes, type EvaluateOptions, type EvaluationResult } from '../evaluation.ts';
import { EpisodeWindow, type TrainResult } from '../metrics.ts';
import { ActingPolicy, type ActOptions } from '../models/acting-policy.ts';
import { obsEncoder } from '../models/obs-encoder.ts';
import type { Tf } from '../models/tf-types.ts';
import type { Learner } from './learner.ts';

/** Injected dependencies, for tests; production uses the defaults. */
export interface LearnerHostOptions {
  /**
   * TensorFlow.js to train with: this realm's own (as `ml.loadTf` returns it), e.g. pinned to a
   * backend. @default `await ml.loadTf()` (the realm's best backend)
   */
  tf?: Tf;
  /** Seconds since some origin, for `timeThisIterS`. @default performance.now() / 1000 */
  clock?: () => number;
}

/**
 * Everything of an algorithm that lives in the learner actor's worker: the learner (models,
 * optimiser), the env runners it drives, the metrics window and the run's counters. `Algorithm`
 * in the page is a handle that forwards to this through `LearnerActor`, so training never
 * blocks the page. Calls run one at a time, in order, even when a caller does not wait for the
 * previous one.
 *
 * @example
 * // Inside a worker (what LearnerActor does):
 * const host = new LearnerHost(spec);
 * const result = await host.train();
 */
export class LearnerHost {
  readonly spec: AlgorithmSpec;
  readonly #clock: () => number;
  readonly #ready: Promise<{ learner: Learner; runners: EnvRunnerGroup }>;
  readonly #window = new EpisodeWindow();
  readonly #rng: Rng;
  readonly #acting: ActingPolicy;
  #actingCurrent = false;
  #iteration = 0;
  #lifetimeSteps = 0;
  #timeTotalS = 0;
  #evaluations = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #stopped = false;

  constructor(spec: AlgorithmSpec, state: AlgorithmState | null = null, options: LearnerHostOptions = {}) {
    this.spec = spec;
    this.#clock = options.clock ?? (() => performance.now() / 1000);
    this.#rng = createRng(spec.seed + 31);
    this.#acting = new ActingPolicy(spec.policy);
    if (state) {
      this.#iteration = state.iteration;
      this.#lifetimeSteps = state.numEnvStepsSampledLifetime;
      this.#timeTotalS = state.timeTotalS;
      this.#window.add(state.episodes);
    }
    this.#ready = this.#start(state, options.tf);
    // Failures surface on the first call; never as an unhandled rejection.
    this.#ready.catch(() => undefined);
  }

  async #start(state: AlgorithmState | null, injected: Tf | undefined): Promise<{ learner: Learner; runners: EnvRunnerGroup }> {
    const tf = injected ?? (await loadTf());
    const learner = createLearner(tf, this.spec, this.#rng);
    if (state) learner.setState(state.learner);
    const runners = new EnvRunnerGroup(
      { env: this.spec.env, numEnvs: this.spec.envRunners.numEnvsPerEnvRunner, seed: this.spec.seed, policy: this.spec.policy },
      this.spec.envRunners.numEnvRunners,
    );
    return { learner, runners };
  }

  /** One training iteration; see `TrainResult`. */
  train(): Promise<TrainResult> {
    return this.#serially('train()', async () => {
      const { learner, runners } = await this.#ready;
      const start = this.#clock();
      const outcome = await learner.trainingStep({ runners, lifetimeSteps: this.#lifetimeSteps });
      const elapsed = this.#clock() - start;
      this.#iteration++;
      this.#lifetimeSteps += outcome.numEnvSteps;
      this.#timeTotalS += elapsed;
      this.#window.add(outcome.episodes);
      this.#actingCurrent = false;
      return {
        trainingIteration: this.#iteration,
        ...this.#window.stats(),
        numEpisodes: outcome.episodes.length,
        numEnvStepsSampled: outcome.numEnvSteps,
        numEnvStepsSampledLifetime: this.#lifetimeSteps,
        timeThisIterS: elapsed,
        timeTotalS: this.#timeTotalS,
        learner: outcome.stats,
      };
    });
  }

  /** The policy's action for one observation: the best one, or a sampled one with `explore`. */
  computeSingleAction(obs: Observation, explore = false): Promise<number> {
    return this.#serially('computeSingleAction()', async () => {
      const learner = await this.#policy();
      const encoder = obsEncoder(this.spec.spaces.observation);
      const x = new Float32Array(encoder.size);
      encoder.encode(typeof obs === 'number' ? obs : Float32Array.from(obs), x, 0);
      const options = explore ? learner.exploration(this.#lifetimeSteps) : { explore: false };
      return this.#acting.act(x, 1, options, this.#rng).actions[0] as number;
    });
  }

  /**
   * What acting needs, for a copy of the policy elsewhere (the page's `Algorithm`): the policy's
   * weights, and the options of an exploring action at the current step (DQN's ε).
   */
  actingState(): Promise<{ weights: Awaited<ReturnType<Learner['policyWeights']>>; exploration: ActOptions }> {
    return this.#serially('actingState()', async () => {
      const { learner } = await this.#ready;
      return { weights: await learner.policyWeights(), exploration: learner.exploration(this.#lifetimeSteps) };
    });
  }

  /** Runs whole episodes with the current policy in this worker and summarises them. */
  evaluate(options: EvaluateOptions = {}): Promise<EvaluationResult> {
    return this.#serially('evaluate()', async () => {
      const learner = await this.#policy();
      const env = makeEnvFromSpec(this.spec.env);
      try {
        const explore = options.explore ?? false;
        this.#evaluations++;
        return runEpisodes(
          env,
          this.#acting,
          obsEncoder(this.spec.spaces.observation),
          {
            numEpisodes: options.numEpisodes ?? 10,
            explore,
            maxEpisodeSteps: options.maxEpisodeSteps ?? 100_000,
            seed: this.spec.seed + 1_000_003 * this.#evaluations,
            ...(explore ? { epsilon: learner.exploration(this.#lifetimeSteps).epsilon ?? 0 } : {}),
          },
          this.#rng,
        );
      } finally {
        env.close();
      }
    });
  }

  /** The run's state, for a checkpoint. */
  save(): Promise<AlgorithmState> {
    return this.#serially('save()', async () => {
      const { learner } = await this.#ready;
      return {
        iteration: this.#iteration,
        numEnvStepsSampledLifetime: this.#lifetimeSteps,
        timeTotalS: this.#timeTotalS,
        episodes: this.#window.toJSON(),
        learner: await learner.getState(),
      };
    });
  }

  /** Stops the env runners and frees the models; later calls fail with AlgorithmStoppedError. */
  stop(): Promise<void> {
    return this.#serially('stop()', async () => {
      this.#stopped = true;
      const { learner, runners } = await this.#ready;
      runners.stop();
      learner.dispose();
    });
  }

  /** The learner, with the acting policy holding its current weights. */
  async #policy(): Promise<Learner> {
    const { learner } = await this.#ready;
    if (!this.#actingCurrent) {
      this.#acting.setWeights(await learner.policyWeights());
      this.#actingCurrent = true;
    }
    return learner;
  }

  #serially<T>(call: string, body: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.#stopped) throw new AlgorithmStoppedError(call);
      return body();
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}
