import { describe, expect, it } from 'vitest';
import {
  CartPoleEnv,
  EnvConfigError,
  EnvError,
  EnvNotFoundError,
  EpisodeGuard,
  InvalidActionError,
  MazeEnv,
  MountainCarEnv,
  ResetNeededError,
  discrete,
  makeEnv,
  registerEnv,
  registeredEnvIds,
} from '../../../src/rl/env/index.ts';
import type { Env, ResetResult, StepResult } from '../../../src/rl/env/index.ts';

/** A one-dimensional corridor: walk right `length` cells to finish. A tiny custom env. */
class CorridorEnv implements Env<number, number> {
  readonly observationSpace;
  readonly actionSpace = discrete(2);
  readonly #length: number;
  readonly #guard: EpisodeGuard;
  #position = 0;

  constructor(config: Record<string, unknown> = {}) {
    this.#length = typeof config['length'] === 'number' ? config['length'] : 5;
    this.observationSpace = discrete(this.#length + 1);
    this.#guard = new EpisodeGuard('Corridor-v0', this.actionSpace, 50);
  }

  reset(): ResetResult<number> {
    this.#position = 0;
    this.#guard.start();
    return { obs: 0, info: {} };
  }

  step(action: number): StepResult<number> {
    this.#guard.checkStep(action);
    this.#position = Math.max(0, this.#position + (action === 1 ? 1 : -1));
    const terminated = this.#position === this.#length;
    const truncated = this.#guard.finishStep(terminated);
    return { obs: this.#position, reward: terminated ? 1 : -0.1, terminated, truncated, info: {} };
  }

  render(): void {}
  close(): void {}
}

describe('registeredEnvIds', () => {
  it('lists the built-ins from the moment the module loads', () => {
    expect(registeredEnvIds()).toEqual(expect.arrayContaining(['CartPole-v1', 'Maze-v0', 'MountainCar-v0']));
  });
});

describe('makeEnv', () => {
  it('builds each built-in', () => {
    expect(makeEnv('CartPole-v1')).toBeInstanceOf(CartPoleEnv);
    expect(makeEnv('Maze-v0')).toBeInstanceOf(MazeEnv);
    expect(makeEnv('MountainCar-v0')).toBeInstanceOf(MountainCarEnv);
  });

  it('builds a fresh environment on every call', () => {
    expect(makeEnv('Maze-v0')).not.toBe(makeEnv('Maze-v0'));
  });

  it('throws EnvNotFoundError listing the registered ids for an unknown id', () => {
    let caught: unknown;
    try {
      makeEnv('CartPole-v0');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvNotFoundError);
    expect(caught).toBeInstanceOf(EnvError);
    expect(caught).toBeInstanceOf(Error);
    const error = caught as EnvNotFoundError;
    expect(error.name).toBe('EnvNotFoundError');
    expect(error.id).toBe('CartPole-v0');
    expect(error.registeredIds).toEqual(registeredEnvIds());
    for (const id of ['CartPole-v1', 'Maze-v0', 'MountainCar-v0']) expect(error.message).toContain(`"${id}"`);
    expect(error.message).toContain('registerEnv');
  });

  it('rejects a config value of the wrong type, naming the key', () => {
    expect(() => makeEnv('CartPole-v1', { maxEpisodeSteps: '500' })).toThrow(EnvConfigError);
    expect(() => makeEnv('MountainCar-v0', { maxEpisodeSteps: 0 })).toThrow(/maxEpisodeSteps/);
    expect(() => makeEnv('Maze-v0', { maxEpisodeSteps: 2.5 })).toThrow(/positive integer/);
    expect(() => makeEnv('CartPole-v1', { rng: 42 })).toThrow(/createRng/);
  });

  it('ignores config keys it does not know', () => {
    expect(() => makeEnv('CartPole-v1', { somethingForTheAlgorithm: true })).not.toThrow();
  });
});

describe('registerEnv', () => {
  it('makes a custom environment buildable by id, with its config', () => {
    registerEnv('Corridor-v0', (config) => new CorridorEnv(config));
    expect(registeredEnvIds()).toContain('Corridor-v0');
    const env = makeEnv('Corridor-v0', { length: 2 });
    expect(env.observationSpace).toEqual({ type: 'Discrete', n: 3 });
    expect(env.reset().obs).toBe(0);
    expect(env.step(1)).toMatchObject({ obs: 1, terminated: false });
    expect(env.step(1)).toMatchObject({ obs: 2, reward: 1, terminated: true });
  });

  it('replaces the creator when an id is registered again', () => {
    registerEnv('Corridor-v1', () => new CorridorEnv({ length: 1 }));
    registerEnv('Corridor-v1', () => new CorridorEnv({ length: 7 }));
    expect(makeEnv('Corridor-v1').observationSpace).toEqual({ type: 'Discrete', n: 8 });
  });

  it('rejects an empty id or a creator that is not a function', () => {
    expect(() => registerEnv('', () => new CorridorEnv())).toThrow(TypeError);
    expect(() => registerEnv('Broken-v0', 'not a function' as unknown as () => Env)).toThrow(/creator must be a function/);
  });
});

describe('Env.step guards', () => {
  it('throws ResetNeededError before the first reset, saying to call reset()', () => {
    for (const id of ['CartPole-v1', 'Maze-v0', 'MountainCar-v0']) {
      const env = makeEnv(id);
      expect(() => env.step(0)).toThrow(ResetNeededError);
      expect(() => env.step(0)).toThrow(/call env\.reset\(\) first/i);
    }
  });

  it('throws InvalidActionError for actions outside the action space, saying what is allowed', () => {
    const cartPole = makeEnv('CartPole-v1');
    cartPole.reset({ seed: 0 });
    expect(() => cartPole.step(2)).toThrow(InvalidActionError);
    expect(() => cartPole.step(2)).toThrow(/Discrete\(2\).*integer from 0 to 1/);
    expect(() => cartPole.step(-1)).toThrow(InvalidActionError);
    expect(() => cartPole.step(0.5)).toThrow(InvalidActionError);
    expect(() => cartPole.step(NaN)).toThrow(InvalidActionError);
    expect(() => cartPole.step('1' as unknown as number)).toThrow(/action "1"/);
    expect(() => cartPole.step([1])).toThrow(/action \[1\]/);

    const maze = makeEnv('Maze-v0');
    maze.reset();
    expect(() => maze.step(4)).toThrow(/integer from 0 to 3/);
    const car = makeEnv('MountainCar-v0');
    car.reset({ seed: 0 });
    expect(() => car.step(3)).toThrow(/integer from 0 to 2/);
  });

  it('leaves the episode usable after an invalid action', () => {
    const env = makeEnv('Maze-v0');
    env.reset();
    expect(() => env.step(7)).toThrow(InvalidActionError);
    expect(env.step(0).obs).toBe(5);
  });
});
