import type { Space } from './space.ts';

/** What an observation may be: an index for Discrete spaces, a float vector for Box spaces. */
export type Observation = number | Float32Array;

/** What an action may be: an index for Discrete spaces, a vector for Box spaces. */
export type Action = number | ArrayLike<number>;

/** Free-form diagnostics an environment attaches to reset and step; never needed for learning. */
export type Info = Record<string, unknown>;

/** Options of `reset`. */
export interface ResetOptions {
  /**
   * Reseeds the environment's random source before drawing the start state, so the same seed
   * gives the same episode. Without it the source carries on from where it was (Gymnasium's rule).
   */
  seed?: number;
}

/** What `reset` returns: the first observation of a new episode. */
export interface ResetResult<O extends Observation = Observation> {
  obs: O;
  info: Info;
}

/**
 * What `step` returns. `terminated` means the task itself ended (the pole fell, the goal was
 * reached): there is no future reward to bootstrap. `truncated` means the episode was cut short
 * (a time limit), so a learner should still bootstrap from `obs`. Both may be true at once.
 */
export interface StepResult<O extends Observation = Observation> {
  obs: O;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Info;
}

/**
 * A reinforcement-learning environment with Gymnasium's contract. Observations and actions are
 * plain numbers and typed arrays, never tensors, so an environment runs anywhere (worker, page,
 * Node) and the learning code chooses its own tensor library.
 *
 * The built-in environments throw `ResetNeededError` when `step` comes before `reset` or after
 * the episode ended, and `InvalidActionError` for an action outside `actionSpace`.
 *
 * @example
 * const env: Env<Float32Array, number> = new CartPoleEnv();
 * let { obs } = env.reset({ seed: 0 });
 * let done = false;
 * while (!done) {
 *   const step = env.step(obs[2]! > 0 ? 1 : 0); // push the way the pole leans
 *   ({ obs } = step);
 *   done = step.terminated || step.truncated;
 * }
 */
export interface Env<O extends Observation = Observation, A extends Action = Action> {
  readonly observationSpace: Space;
  readonly actionSpace: Space;
  /** Starts a new episode and returns its first observation. */
  reset(options?: ResetOptions): ResetResult<O>;
  /** Advances the episode by one action. */
  step(action: A): StepResult<O>;
  /** Draws the current state, scaled to fill `ctx.canvas`. It only reads the state. */
  render(ctx: CanvasRenderingContext2D): void;
  /** Releases whatever the environment holds; the built-ins hold nothing, so it is a no-op there. */
  close(): void;
}

/**
 * Builds an environment from an optional config. This is what `registerEnv` stores and
 * `makeEnv` calls, as in RLlib's `register_env(name, lambda config: MyEnv(config))`.
 */
export type EnvCreator = (config?: Record<string, unknown>) => Env;
