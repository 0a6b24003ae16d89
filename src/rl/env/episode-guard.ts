import type { Space } from './space.ts';
import { contains, describeSpace } from './space.ts';
import { InvalidActionError, ResetNeededError } from './errors.ts';

/**
 * The bookkeeping every built-in environment shares, kept out of the physics: it enforces
 * reset-before-step (Gymnasium's OrderEnforcing), checks actions against the action space, and
 * counts steps to truncate at a time limit (Gymnasium's TimeLimit).
 *
 * Invariant: `step` is allowed only between a `start` and the step that ends the episode.
 */
export class EpisodeGuard {
  readonly #envId: string;
  readonly #actionSpace: Space;
  readonly #maxEpisodeSteps: number;
  #steps = 0;
  #phase: 'before-reset' | 'running' | 'ended' = 'before-reset';

  /**
   * @param envId - named in error messages.
   * @param maxEpisodeSteps - the step at which an episode is truncated; `Infinity` for never.
   */
  constructor(envId: string, actionSpace: Space, maxEpisodeSteps: number) {
    this.#envId = envId;
    this.#actionSpace = actionSpace;
    this.#maxEpisodeSteps = maxEpisodeSteps;
  }

  /** Steps taken in the current episode. */
  get elapsedSteps(): number {
    return this.#steps;
  }

  /** The time limit; `Infinity` when there is none. */
  get maxEpisodeSteps(): number {
    return this.#maxEpisodeSteps;
  }

  /** Called by `reset`: a new episode starts with no steps taken. */
  start(): void {
    this.#steps = 0;
    this.#phase = 'running';
  }

  /** Called at the top of `step`; throws unless an episode is running and the action is valid. */
  checkStep(action: unknown): void {
    if (this.#phase === 'before-reset') {
      throw new ResetNeededError(
        `${this.#envId}: step() was called before reset(). Call env.reset() first to start an episode.`,
      );
    }
    if (this.#phase === 'ended') {
      throw new ResetNeededError(
        `${this.#envId}: step() was called after the episode ended (terminated or truncated). ` +
          'Call env.reset() to start a new episode.',
      );
    }
    if (!contains(this.#actionSpace, action)) {
      const hint =
        this.#actionSpace.type === 'Discrete'
          ? `Pass an integer from 0 to ${this.#actionSpace.n - 1}.`
          : `Pass an array of ${this.#actionSpace.low.length} numbers within the bounds.`;
      throw new InvalidActionError(
        `${this.#envId}: action ${describeValue(action)} is not in the action space ` +
          `${describeSpace(this.#actionSpace)}. ${hint}`,
      );
    }
  }

  /**
   * Called at the end of `step` with the task's own termination; counts the step and returns
   * whether the time limit truncates the episode here.
   */
  finishStep(terminated: boolean): boolean {
    this.#steps += 1;
    const truncated = this.#steps >= this.#maxEpisodeSteps;
    if (terminated || truncated) this.#phase = 'ended';
    return truncated;
  }
}

/** A short form of any value for an error message. */
function describeValue(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined || value === null) return String(value);
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    return `[${Array.from(value as ArrayLike<unknown>, String).join(', ')}]`;
  }
  return typeof value;
}
