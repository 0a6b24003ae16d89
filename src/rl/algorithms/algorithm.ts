import type { ActorHandle } from '../../core/actor-handle.ts';
import { get, kill, remote } from '../../core/api.ts';
import { createRng, type Observation, type Rng } from '../env/index.ts';
import { ActingPolicy, type ActOptions } from '../models/acting-policy.ts';
import { obsEncoder, type ObsEncoder } from '../models/obs-encoder.ts';
import { AlgorithmStoppedError } from '../errors.ts';
import type { EvaluateOptions, EvaluationResult } from '../evaluation.ts';
import { LearnerActor } from '../learner/learner-actor.ts';
import { publishTrainResult, type TrainResult } from '../metrics.ts';
import type { AlgorithmSpec } from './algorithm-spec.ts';
import { checkCheckpoint, type AlgorithmState, type Checkpoint } from './checkpoint.ts';

/**
 * RLlib's Algorithm, as a handle: build it with `config.build()` (or restore one with
 * `Algorithm.fromCheckpoint`). Its learner runs in an actor (`LearnerActor`, a worker of its
 * own) that drives the env runner actors, so `train()` never blocks the page; its calls return
 * promises, except `computeSingleAction`, which acts at once with a copy of the policy kept here
 * (as RLlib's does) once the page has it. It works the same inside a task or actor, where
 * `raybox` is a global.
 *
 * After each `train()`, the result is published as a metric event (source e.g.
 * "PPO CartPole-v1"), which the notebook charts live.
 *
 * @example
 * const algo = new rl.PPOConfig().environment('CartPole-v1').build();
 * for (let i = 0; i < 10; i++) {
 *   const result = await algo.train();
 *   console.log(result.trainingIteration, result.episodeReturnMean);
 * }
 * const checkpoint = await algo.save();
 * await algo.stop();
 */
export class Algorithm {
  /** The validated config this algorithm runs, as plain data. */
  readonly spec: AlgorithmSpec;
  /** The metric source name its results are published under. */
  readonly metricSource: string;
  readonly #actor: ActorHandle<LearnerActor>;
  #queue: Promise<unknown> = Promise.resolve();
  #stopped = false;
  /** The policy as of the last refresh, for acting here without a round trip. */
  readonly #acting: ActingPolicy;
  readonly #encoder: ObsEncoder;
  readonly #rng: Rng;
  #exploration: ActOptions = { explore: true };
  /** The learner's state as of the last refresh, for a synchronous `save()`. */
  #state: AlgorithmState | null = null;
  #refreshed: Promise<void>;

  /** Use `config.build()` or `Algorithm.fromCheckpoint(checkpoint)`. */
  constructor(spec: AlgorithmSpec, state: AlgorithmState | null = null) {
    this.spec = spec;
    this.metricSource = `${spec.algorithm} ${spec.env.id}`;
    this.#actor = remote(LearnerActor).remote(spec, state);
    this.#acting = new ActingPolicy(spec.policy);
    this.#encoder = obsEncoder(spec.spaces.observation);
    this.#rng = createRng(spec.seed + 47);
    this.#refreshed = this.#refresh();
  }

  /** Resolves once `computeSingleAction` can answer at once (the page has the policy). */
  ready(): Promise<void> {
    return this.#refreshed;
  }

  /** Copies the learner's current policy here. */
  #refresh(): Promise<void> {
    const refreshed = Promise.all([get(this.#actor.actingState.remote()), get(this.#actor.save.remote())]).then(([{ weights, exploration }, state]) => {
      this.#acting.setWeights(weights);
      this.#exploration = exploration;
      this.#state = state;
    });
    // A learner that fails to start reports it through the call that meets it.
    refreshed.catch(() => undefined);
    return refreshed;
  }

  /**
   * Restores an algorithm from what `save()` returned (after a JSON round trip too): same
   * config, same weights, same counters. It acts exactly as the saved one did.
   *
   * @throws CheckpointError when `checkpoint` is not one `save()` made.
   * @example
   * const restored = rl.Algorithm.fromCheckpoint(JSON.parse(text));
   * await restored.computeSingleAction(obs);
   */
  static fromCheckpoint(checkpoint: Checkpoint): Algorithm {
    const cp = checkCheckpoint(checkpoint);
    return new Algorithm(cp.spec, cp.state);
  }

  /**
   * One training iteration: sample with the env runners, update the learner; resolves to the
   * iteration's `TrainResult`.
   *
   * @example
   * const { episodeReturnMean, numEnvStepsSampledLifetime } = await algo.train();
   */
  train(): Promise<TrainResult> {
    return this.#call('train()', async () => {
      const result = await get(this.#actor.train.remote());
      this.#refreshed = this.#refresh();
      await this.#refreshed;
      publishTrainResult(this.metricSource, result);
      return result;
    });
  }

  /**
   * The policy's action for one observation. With `explore: false` (the default) the best
   * action; with `explore: true` one sampled as in training (DQN: ε-greedy at the current ε).
   * Synchronous, as in RLlib, once the page has the policy: after `train()`, or after
   * `await algo.ready()` for a new or restored algorithm. Before that it returns a promise of the
   * action, so `await algo.computeSingleAction(obs)` works at any time.
   *
   * @example
   * const env = rl.makeEnv('CartPole-v1');
   * let { obs } = env.reset({ seed: 0 });
   * const action = algo.computeSingleAction(obs); // after train() or ready()
   */
  computeSingleAction(obs: Observation, options: { explore?: boolean } = {}): number | Promise<number> {
    if (this.#stopped) throw new AlgorithmStoppedError('computeSingleAction()');
    const explore = options.explore ?? false;
    if (!this.#acting.ready) {
      return this.#call('computeSingleAction()', () => get(this.#actor.computeSingleAction.remote(obs, explore)));
    }
    const x = new Float32Array(this.#encoder.size);
    this.#encoder.encode(typeof obs === 'number' ? obs : Float32Array.from(obs), x, 0);
    return this.#acting.act(x, 1, explore ? this.#exploration : { explore: false }, this.#rng).actions[0] as number;
  }

  /**
   * Runs `numEpisodes` whole episodes (default 10) with the current policy, acting greedily
   * unless `explore`, and returns their statistics.
   *
   * @example
   * const { episodeReturnMean, episodeLenMean } = await algo.evaluate({ numEpisodes: 5 });
   */
  evaluate(options: EvaluateOptions = {}): Promise<EvaluationResult> {
    return this.#call('evaluate()', () => get(this.#actor.evaluate.remote(options)));
  }

  /**
   * The algorithm's config and state as JSON-ready data; see `Checkpoint`. Synchronous, as in
   * RLlib, once the page has the state of the last `train()` (or after `await algo.ready()`);
   * before that it returns a promise of it, so `await algo.save()` works at any time.
   *
   * @example
   * const text = JSON.stringify(algo.save()); // after train() or ready()
   */
  save(): Checkpoint | Promise<Checkpoint> {
    if (this.#stopped) throw new AlgorithmStoppedError('save()');
    const checkpoint = (state: AlgorithmState): Checkpoint => ({ format: 'raybox.rl.checkpoint', version: 1, spec: structuredClone(this.spec), state });
    if (this.#state) return checkpoint(structuredClone(this.#state));
    return this.#call('save()', async () => checkpoint(await get(this.#actor.save.remote())));
  }

  /**
   * Stops the env runners and the learner and frees their workers. Later calls reject with
   * `AlgorithmStoppedError`; stopping twice is fine, and so is stopping an algorithm whose
   * learner failed (the failure was reported by the call that met it).
   *
   * @example
   * await algo.stop();
   */
  stop(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    const done = this.#call('stop()', async () => {
      try {
        await get(this.#actor.stop.remote());
      } catch {
        // A learner that failed to start or died has nothing left to stop; killing it is enough.
      } finally {
        kill(this.#actor);
      }
    });
    this.#stopped = true;
    return done;
  }

  /** Runs calls one after another (a second `train()` waits for the first), refusing after stop. */
  #call<T>(call: string, body: () => Promise<T>): Promise<T> {
    if (this.#stopped) return Promise.reject(new AlgorithmStoppedError(call));
    const result = this.#queue.then(body, body);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}
