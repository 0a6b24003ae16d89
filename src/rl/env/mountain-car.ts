import type { Env, ResetOptions, ResetResult, StepResult } from './env.ts';
import type { Box, Discrete } from './space.ts';
import type { Rng } from './random.ts';
import type { CommonEnvOptions } from './env-config.ts';
import type { MountainCarAction, MountainCarState } from './mountain-car-dynamics.ts';
import { box, discrete } from './space.ts';
import { createRng } from './random.ts';
import { checkMaxEpisodeSteps, decodeCommonOptions } from './env-config.ts';
import { EpisodeGuard } from './episode-guard.ts';
import { MOUNTAIN_CAR, mountainCarStep, mountainCarTerminated } from './mountain-car-dynamics.ts';
import { renderMountainCar } from './mountain-car-render.ts';

/** The id MountainCar is registered under. */
export const MOUNTAIN_CAR_ID = 'MountainCar-v0';

/** Gymnasium's MountainCar-v0 time limit. */
const DEFAULT_MAX_EPISODE_STEPS = 200;

/**
 * Gymnasium's MountainCar-v0: accelerate left (0), not at all (1) or right (2) to drive an
 * underpowered car up to the flag at 0.5. Observation `Float32Array [position, velocity]`;
 * reward -1 every step; terminated at the flag; truncated at 200 steps (`maxEpisodeSteps`).
 * Reset puts the car at rest, uniformly in [-0.6, -0.4].
 *
 * Unlike Gymnasium, stepping after the episode ended throws `ResetNeededError`.
 *
 * @example
 * const env = new MountainCarEnv();
 * let { obs } = env.reset({ seed: 0 });
 * ({ obs } = env.step(obs[1]! >= 0 ? 2 : 0)); // push along the velocity to pump energy
 */
export class MountainCarEnv implements Env<Float32Array, number> {
  /** [position, velocity] within the track and the speed limit. */
  readonly observationSpace: Box = box(
    [MOUNTAIN_CAR.minPosition, -MOUNTAIN_CAR.maxSpeed],
    [MOUNTAIN_CAR.maxPosition, MOUNTAIN_CAR.maxSpeed],
  );
  /** 0 accelerates left, 1 does nothing, 2 accelerates right. */
  readonly actionSpace: Discrete = discrete(3);

  #rng: Rng;
  readonly #guard: EpisodeGuard;
  #state: MountainCarState | null = null;

  /** @param options - `maxEpisodeSteps` defaults to 200. */
  constructor(options: CommonEnvOptions = {}) {
    this.#rng = options.rng ?? createRng();
    const maxEpisodeSteps = checkMaxEpisodeSteps(MOUNTAIN_CAR_ID, options.maxEpisodeSteps ?? DEFAULT_MAX_EPISODE_STEPS);
    this.#guard = new EpisodeGuard(MOUNTAIN_CAR_ID, this.actionSpace, maxEpisodeSteps);
  }

  /** The float64 state, or null before the first reset. */
  get state(): MountainCarState | null {
    return this.#state;
  }

  /** Steps taken in the current episode. */
  get elapsedSteps(): number {
    return this.#guard.elapsedSteps;
  }

  /** Starts an episode at rest, at a position uniform in [-0.6, -0.4]. */
  reset(options: ResetOptions = {}): ResetResult<Float32Array> {
    if (options.seed !== undefined) this.#rng = createRng(options.seed);
    this.#state = [this.#rng.uniform(-0.6, -0.4), 0];
    this.#guard.start();
    return { obs: Float32Array.from(this.#state), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    this.#guard.checkStep(action);
    // checkStep guarantees a running episode, and every running episode began with a reset.
    const state = mountainCarStep(this.#state as MountainCarState, action as MountainCarAction);
    this.#state = state;
    const terminated = mountainCarTerminated(state);
    const truncated = this.#guard.finishStep(terminated);
    return { obs: Float32Array.from(state), reward: -1.0, terminated, truncated, info: {} };
  }

  /**
   * Replaces the physics state, e.g. to start a test or a demo from a chosen point. Call it
   * after `reset()`; it leaves the episode's step count alone.
   */
  setState(state: ArrayLike<number>): void {
    if (state.length !== 2 || !Array.from(state).every(Number.isFinite)) {
      throw new RangeError(`${MOUNTAIN_CAR_ID}: setState needs two finite numbers [position, velocity].`);
    }
    const [position = 0, velocity = 0] = Array.from(state);
    this.#state = [position, velocity];
  }

  /** Draws the hill, the flag and the car; before the first reset, the car at the valley floor. */
  render(ctx: CanvasRenderingContext2D): void {
    renderMountainCar(ctx, this.#state ?? [-Math.PI / 6, 0]);
  }

  close(): void {}
}

/** The registry's creator for MountainCar-v0; accepts `maxEpisodeSteps` and `rng` in the config. */
export function createMountainCar(config?: Record<string, unknown>): MountainCarEnv {
  return new MountainCarEnv(decodeCommonOptions(MOUNTAIN_CAR_ID, config));
}
