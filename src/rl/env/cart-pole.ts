import type { Env, ResetOptions, ResetResult, StepResult } from './env.ts';
import type { Box, Discrete } from './space.ts';
import type { Rng } from './random.ts';
import type { CommonEnvOptions } from './env-config.ts';
import type { CartPoleState } from './cart-pole-dynamics.ts';
import { box, discrete } from './space.ts';
import { createRng } from './random.ts';
import { checkMaxEpisodeSteps, decodeCommonOptions } from './env-config.ts';
import { EpisodeGuard } from './episode-guard.ts';
import { CART_POLE, cartPoleStep, cartPoleTerminated } from './cart-pole-dynamics.ts';
import { renderCartPole } from './cart-pole-render.ts';

/** The id CartPole is registered under. */
export const CART_POLE_ID = 'CartPole-v1';

/** Gymnasium's CartPole-v1 time limit. */
const DEFAULT_MAX_EPISODE_STEPS = 500;

/**
 * Gymnasium's CartPole-v1: push a cart left (0) or right (1) to keep a pole upright.
 * Observation `Float32Array [x, xDot, theta, thetaDot]`; reward 1 for every step, the
 * terminating one included; terminated when |x| > 2.4 or |theta| > 12°; truncated at 500 steps
 * (`maxEpisodeSteps`). The state is float64 and only rounded to float32 on the way out, as in
 * Gymnasium, so trajectories match it step for step.
 *
 * Unlike Gymnasium, stepping after the episode ended throws `ResetNeededError` instead of
 * warning and paying 0.
 *
 * @example
 * const env = new CartPoleEnv();
 * const { obs } = env.reset({ seed: 1 });
 * const { reward, terminated } = env.step(obs[2]! > 0 ? 1 : 0);
 */
export class CartPoleEnv implements Env<Float32Array, number> {
  /** The bounds Gymnasium declares: twice the termination thresholds, velocities unbounded. */
  readonly observationSpace: Box = box(
    [-CART_POLE.xThreshold * 2, -Infinity, -CART_POLE.thetaThresholdRadians * 2, -Infinity],
    [CART_POLE.xThreshold * 2, Infinity, CART_POLE.thetaThresholdRadians * 2, Infinity],
  );
  /** 0 pushes the cart left, 1 pushes it right, each with a 10 N force. */
  readonly actionSpace: Discrete = discrete(2);

  #rng: Rng;
  readonly #guard: EpisodeGuard;
  #state: CartPoleState | null = null;

  /** @param options - `maxEpisodeSteps` defaults to 500. */
  constructor(options: CommonEnvOptions = {}) {
    this.#rng = options.rng ?? createRng();
    const maxEpisodeSteps = checkMaxEpisodeSteps(CART_POLE_ID, options.maxEpisodeSteps ?? DEFAULT_MAX_EPISODE_STEPS);
    this.#guard = new EpisodeGuard(CART_POLE_ID, this.actionSpace, maxEpisodeSteps);
  }

  /** The float64 state, or null before the first reset. */
  get state(): CartPoleState | null {
    return this.#state;
  }

  /** Steps taken in the current episode. */
  get elapsedSteps(): number {
    return this.#guard.elapsedSteps;
  }

  /** Starts an episode with each state variable uniform in [-0.05, 0.05]. */
  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    if (options.seed !== undefined) this.#rng = createRng(options.seed);
    this.#state = [
      this.#rng.uniform(-0.05, 0.05),
      this.#rng.uniform(-0.05, 0.05),
      this.#rng.uniform(-0.05, 0.05),
      this.#rng.uniform(-0.05, 0.05),
    ];
    this.#guard.start();
    return { obs: Float32Array.from(this.#state), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    this.#guard.checkStep(action);
    // checkStep guarantees a running episode, and every running episode began with a reset.
    const state = cartPoleStep(this.#state as CartPoleState, action as 0 | 1);
    this.#state = state;
    const terminated = cartPoleTerminated(state);
    const truncated = this.#guard.finishStep(terminated);
    return { obs: Float32Array.from(state), reward: 1.0, terminated, truncated, info: {} };
  }

  /**
   * Replaces the physics state, e.g. to start a test or a demo from a chosen pose, as one
   * would assign `env.unwrapped.state` in Gymnasium. Call it after `reset()`; it leaves the
   * episode's step count alone.
   *
   * @example
   * env.reset();
   * env.setState([0, 0, 0.1, 0]); // pole tilted 0.1 rad to the right
   */
  setState(state: ArrayLike<number>): void {
    if (state.length !== 4 || !Array.from(state).every(Number.isFinite)) {
      throw new RangeError(`${CART_POLE_ID}: setState needs four finite numbers [x, xDot, theta, thetaDot].`);
    }
    const [x = 0, xDot = 0, theta = 0, thetaDot = 0] = Array.from(state);
    this.#state = [x, xDot, theta, thetaDot];
  }

  /** Draws the cart and pole; before the first reset, at rest in the middle. */
  render(ctx: CanvasRenderingContext2D): void {
    renderCartPole(ctx, this.#state ?? [0, 0, 0, 0]);
  }

  close(): void {}
}

/** The registry's creator for CartPole-v1; accepts `maxEpisodeSteps` and `rng` in the config. */
export function createCartPole(config?: Record<string, unknown>): CartPoleEnv {
  return new CartPoleEnv(decodeCommonOptions(CART_POLE_ID, config));
}
