import type { Env, EnvCreator } from './env.ts';
import { EnvNotFoundError } from './errors.ts';
import { CART_POLE_ID, createCartPole } from './cart-pole.ts';
import { MAZE_ID, createMaze } from './maze.ts';
import { MOUNTAIN_CAR_ID, createMountainCar } from './mountain-car.ts';

/**
 * Environment creators by id, as RLlib's `register_env` / Gymnasium's registry. The built-ins
 * are present from the moment this module loads. Each realm (page, worker) has its own registry,
 * so a custom environment must be registered in every worker that builds it.
 */
const creators = new Map<string, EnvCreator>([
  [CART_POLE_ID, createCartPole],
  [MAZE_ID, createMaze],
  [MOUNTAIN_CAR_ID, createMountainCar],
]);

/**
 * Registers a creator under `id`, so `makeEnv(id, config)` and algorithm configs can build it by
 * name. Registering an id again replaces the creator (handy while editing an environment).
 *
 * @example
 * registerEnv('Corridor-v0', (config) => new CorridorEnv(config));
 * const env = makeEnv('Corridor-v0', { length: 10 });
 */
export function registerEnv(id: string, creator: EnvCreator): void {
  if (typeof id !== 'string' || id === '') {
    throw new TypeError('registerEnv(id, creator): id must be a non-empty string such as "MyEnv-v0".');
  }
  if (typeof creator !== 'function') {
    throw new TypeError(`registerEnv(${JSON.stringify(id)}, creator): creator must be a function (config) => Env.`);
  }
  creators.set(id, creator);
}

/**
 * Builds a fresh environment registered under `id`, passing `config` to its creator.
 *
 * @throws EnvNotFoundError when nothing is registered under `id`; its message lists the ids that are.
 * @example
 * const env = makeEnv('CartPole-v1', { maxEpisodeSteps: 200 });
 */
export function makeEnv(id: string, config?: Record<string, unknown>): Env {
  const creator = creators.get(id);
  if (creator === undefined) throw new EnvNotFoundError(id, registeredEnvIds());
  return creator(config);
}

/**
 * The registered ids, sorted.
 *
 * @example
 * registeredEnvIds(); // ['CartPole-v1', 'Maze-v0', 'MountainCar-v0']
 */
export function registeredEnvIds(): string[] {
  return [...creators.keys()].sort();
}
