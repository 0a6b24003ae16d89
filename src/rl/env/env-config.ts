import type { Rng } from './random.ts';
import { EnvConfigError } from './errors.ts';

/** The options every built-in environment accepts, through its constructor or `makeEnv`'s config. */
export interface CommonEnvOptions {
  /**
   * Truncates an episode after this many steps (Gymnasium's `max_episode_steps`); `Infinity`
   * turns truncation off. Each environment documents its default.
   */
  maxEpisodeSteps?: number;
  /**
   * The random source for start states, used until a `reset({ seed })` replaces it with a
   * seeded one. Defaults to a generator seeded from `Math.random`.
   */
  rng?: Rng;
}

/**
 * Reads `CommonEnvOptions` out of an untyped `makeEnv` config, so a wrong type fails here with
 * a message naming the key, instead of deep inside an episode. Unknown keys are ignored: a config
 * may carry settings meant for other parts of a pipeline, as RLlib's env_config often does.
 */
export function decodeCommonOptions(envId: string, config: Record<string, unknown> = {}): CommonEnvOptions {
  const options: CommonEnvOptions = {};
  const { maxEpisodeSteps, rng } = config;
  if (maxEpisodeSteps !== undefined) {
    if (typeof maxEpisodeSteps !== 'number') {
      throw new EnvConfigError(
        `${envId}: config.maxEpisodeSteps must be a number (a positive integer or Infinity), got ${typeof maxEpisodeSteps}.`,
      );
    }
    options.maxEpisodeSteps = checkMaxEpisodeSteps(envId, maxEpisodeSteps);
  }
  if (rng !== undefined) {
    if (!isRng(rng)) {
      throw new EnvConfigError(
        `${envId}: config.rng must be an Rng (an object with next, uniform and int methods); create one with createRng(seed).`,
      );
    }
    options.rng = rng;
  }
  return options;
}

/** Validates a time limit given to a constructor directly. */
export function checkMaxEpisodeSteps(envId: string, value: number): number {
  if (!(value === Infinity || (Number.isInteger(value) && value > 0))) {
    throw new EnvConfigError(`${envId}: maxEpisodeSteps must be a positive integer or Infinity, got ${String(value)}.`);
  }
  return value;
}

function isRng(value: unknown): value is Rng {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate['next'] === 'function' &&
    typeof candidate['uniform'] === 'function' &&
    typeof candidate['int'] === 'function'
  );
}
