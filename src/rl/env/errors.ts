import { RayboxError, registerErrorClasses } from '../../core/errors.ts';

/**
 * Errors raised by environments and the registry. They form one tree under `EnvError` (a
 * `RayboxError`), carry a literal `name` and are registered, so they come back as themselves on
 * the other side of a worker boundary, and each message says what to do next.
 */
export class EnvError extends RayboxError {
  override readonly name: string = 'EnvError';
}

/** `makeEnv` was asked for an id that no one registered. */
export class EnvNotFoundError extends EnvError {
  override readonly name = 'EnvNotFoundError' as const;
  /** The id that was asked for. */
  readonly id: string;
  /** The ids registered when the lookup failed, sorted. */
  readonly registeredIds: readonly string[];

  constructor(id: string, registeredIds: readonly string[]) {
    super(
      `No environment is registered as ${JSON.stringify(id)}. Registered ids: ` +
        `${registeredIds.map((known) => JSON.stringify(known)).join(', ') || '(none)'}. ` +
        `Call registerEnv(${JSON.stringify(id)}, (config) => new MyEnv(config)) first, or pick a registered id.`,
    );
    this.id = id;
    this.registeredIds = registeredIds;
  }

  override details(): Record<string, unknown> {
    return { id: this.id, registeredIds: [...this.registeredIds] };
  }
}

/** `step` was called with no episode running: before the first `reset`, or after the episode ended. */
export class ResetNeededError extends EnvError {
  override readonly name = 'ResetNeededError' as const;
}

/** `step` was given an action outside the environment's action space. */
export class InvalidActionError extends EnvError {
  override readonly name = 'InvalidActionError' as const;
}

/** An environment config entry has the wrong type or range. */
export class EnvConfigError extends EnvError {
  override readonly name = 'EnvConfigError' as const;
}

registerErrorClasses(EnvError, EnvNotFoundError, ResetNeededError, InvalidActionError, EnvConfigError);
