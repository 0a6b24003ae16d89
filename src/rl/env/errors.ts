/**
 * Errors raised by environments and the registry. They form one tree under `EnvError`, carry a
 * literal `name` so they survive structured clone (which keeps only name, message and stack) and
 * can be told apart on the other side of a worker boundary, and each message says what to do next.
 */
export class EnvError extends Error {
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
