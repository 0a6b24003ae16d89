import type { Env, Info, ResetOptions, ResetResult, StepResult } from './env.ts';
import type { Discrete } from './space.ts';
import type { CommonEnvOptions } from './env-config.ts';
import type { MazeAction, MazeCell } from './maze-dynamics.ts';
import { discrete } from './space.ts';
import { checkMaxEpisodeSteps, decodeCommonOptions } from './env-config.ts';
import { EpisodeGuard } from './episode-guard.ts';
import { MAZE, mazeAtGoal, mazeMove, mazeObservation } from './maze-dynamics.ts';
import { renderMaze } from './maze-render.ts';

/** The id the maze is registered under. */
export const MAZE_ID = 'Maze-v0';

/**
 * The book's environment has no time limit, so a policy that never finds the goal would run
 * forever. 100 steps is 12.5 times the optimal 8: ample for exploration, short enough that a
 * stuck random policy still finishes episodes and reports returns.
 */
const DEFAULT_MAX_EPISODE_STEPS = 100;

/**
 * The 5×5 maze of *Learning Ray*, chapter 3. The seeker starts at (0, 0) and seeks (4, 4).
 * Observation: `5 * row + col` (Discrete(25)), so the start is 0 and the goal 24. Actions
 * (Discrete(4)): 0 down, 1 left, 2 up, 3 right; moves off the grid are clamped. Reward 1 on
 * reaching the goal, which terminates the episode, else 0. Truncated after `maxEpisodeSteps`
 * (default 100). The maze is deterministic: `seed` and `rng` are accepted and ignored.
 *
 * @example
 * const env = new MazeEnv();
 * env.reset();                       // obs 0
 * for (const a of [0, 0, 0, 0, 3, 3, 3]) env.step(a);
 * env.step(3);                       // obs 24, reward 1, terminated
 */
export class MazeEnv implements Env<number, number> {
  /** A cell index, 5 * row + col. */
  readonly observationSpace: Discrete = discrete(MAZE.size * MAZE.size);
  /** 0 down, 1 left, 2 up, 3 right. */
  readonly actionSpace: Discrete = discrete(4);

  readonly #guard: EpisodeGuard;
  #seeker: MazeCell = MAZE.start;

  /** @param options - `maxEpisodeSteps` defaults to 100; `rng` is unused. */
  constructor(options: CommonEnvOptions = {}) {
    const maxEpisodeSteps = checkMaxEpisodeSteps(MAZE_ID, options.maxEpisodeSteps ?? DEFAULT_MAX_EPISODE_STEPS);
    this.#guard = new EpisodeGuard(MAZE_ID, this.actionSpace, maxEpisodeSteps);
  }

  /** The seeker's cell as [row, col]. */
  get seeker(): MazeCell {
    return this.#seeker;
  }

  /** Steps taken in the current episode. */
  get elapsedSteps(): number {
    return this.#guard.elapsedSteps;
  }

  /** Puts the seeker back on (0, 0). */
  reset(_options: ResetOptions = {}): ResetResult<number> {
    this.#seeker = MAZE.start;
    this.#guard.start();
    return { obs: mazeObservation(this.#seeker), info: this.#info() };
  }

  step(action: number): StepResult<number> {
    this.#guard.checkStep(action);
    this.#seeker = mazeMove(this.#seeker, action as MazeAction);
    const terminated = mazeAtGoal(this.#seeker);
    const truncated = this.#guard.finishStep(terminated);
    return {
      obs: mazeObservation(this.#seeker),
      reward: terminated ? 1 : 0,
      terminated,
      truncated,
      info: this.#info(),
    };
  }

  /** Draws the grid, the goal and the seeker. */
  render(ctx: CanvasRenderingContext2D): void {
    renderMaze(ctx, this.#seeker);
  }

  close(): void {}

  /** The book's info dict: where the seeker and the goal are. */
  #info(): Info {
    return { seeker: [...this.#seeker], goal: [...MAZE.goal] };
  }
}

/** The registry's creator for Maze-v0; accepts `maxEpisodeSteps` in the config. */
export function createMaze(config?: Record<string, unknown>): MazeEnv {
  return new MazeEnv(decodeCommonOptions(MAZE_ID, config));
}
