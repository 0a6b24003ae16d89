import { describeFunction } from '../core/function-descriptor.ts';
import type { Env, EnvCreator } from './env/index.ts';
import { makeEnv as makeRegisteredEnv, registerEnv as registerInRealm } from './env/index.ts';
import { RlError } from './errors.ts';

/**
 * Environments that travel. Each realm (the page, each worker) has its own env registry, and env
 * runners live in workers; so an environment registered in a notebook cell must reach them. Like
 * a remote function, its creator travels as source text: `registerEnv` here records the source,
 * every algorithm config carries it in its `EnvSpec`, and `makeEnvFromSpec` (in the runner's
 * worker) compiles and registers it there before building the env. Built-in environments travel
 * by id alone.
 */

/** An environment as an algorithm config carries it: plain data that any worker can build from. */
export interface EnvSpec {
  /** The registry id, e.g. 'CartPole-v1'. */
  id: string;
  /** Passed to the creator; must survive structured clone (no functions, no class instances). */
  config: Record<string, unknown>;
  /** The creator's source, for envs registered in this realm through `registerEnv`. */
  creatorSource?: string;
}

/** Sources of the creators registered through `registerEnv` in this realm, by id. */
const sources = new Map<string, string>();
/** Sources a worker already compiled and registered, by id, so each compiles once. */
const compiled = new Map<string, string>();

/**
 * Registers an environment creator under `id` in this realm and records its source, so algorithms
 * can build it in their env runners' workers too. The creator runs there as source text, like a
 * remote function: it may use its `config` argument and the globals (`raybox`, `tf`), not
 * variables of the code around it, so define the env class inside the creator.
 *
 * @example
 * rl.registerEnv('Corridor-v0', (config) => {
 *   class Corridor {
 *     observationSpace = { type: 'Discrete', n: 6 };
 *     actionSpace = { type: 'Discrete', n: 2 };
 *     pos = 0;
 *     reset() { this.pos = 0; return { obs: 0, info: {} }; }
 *     step(a) {
 *       this.pos = Math.max(0, this.pos + (a === 1 ? 1 : -1));
 *       const done = this.pos === 5;
 *       return { obs: this.pos, reward: done ? 1 : -0.1, terminated: done, truncated: false, info: {} };
 *     }
 *     render() {}
 *     close() {}
 *   }
 *   return new Corridor();
 * });
 * const algo = new rl.PPOConfig().environment('Corridor-v0').build();
 */
export function registerEnv(id: string, creator: EnvCreator): void {
  registerInRealm(id, creator);
  sources.set(id, describeFunction(creator as (...args: never[]) => unknown).source);
}

/**
 * The spec of an environment given by id or by creator. A creator given directly is registered
 * under its function name (or `custom-env`) first.
 *
 * @example
 * envSpec('CartPole-v1', { maxEpisodeSteps: 200 }); // { id: 'CartPole-v1', config: { maxEpisodeSteps: 200 } }
 */
export function envSpec(env: string | EnvCreator, config: Record<string, unknown> = {}): EnvSpec {
  let id: string;
  if (typeof env === 'function') {
    id = env.name && env.name !== 'anonymous' ? env.name : 'custom-env';
    registerEnv(id, env);
  } else {
    id = env;
  }
  const source = sources.get(id);
  return source === undefined ? { id, config: { ...config } } : { id, config: { ...config }, creatorSource: source };
}

/**
 * Builds the environment of `spec` in this realm, first registering its creator from source when
 * the spec carries one this realm has not compiled yet.
 *
 * @throws EnvNotFoundError when the id is neither built in nor carried as source.
 * @example
 * // In an env runner's worker:
 * const env = makeEnvFromSpec(spec.env);
 */
export function makeEnvFromSpec(spec: EnvSpec): Env {
  const source = spec.creatorSource;
  if (source !== undefined && sources.get(spec.id) !== source && compiled.get(spec.id) !== source) {
    const creator = globalThis.eval(`(${source}\n)`) as EnvCreator;
    registerInRealm(spec.id, creator);
    compiled.set(spec.id, source);
  }
  try {
    return makeRegisteredEnv(spec.id, { ...spec.config });
  } catch (error) {
    if (error instanceof ReferenceError && source !== undefined) {
      throw new RlError(
        `The creator of environment '${spec.id}' failed in a worker: ${error.message}. Env creators run in env-runner workers as ` +
          "source text and cannot see variables of the code that registered them; define the env class inside the creator, or use the globals 'raybox' and 'tf'.",
        { cause: error },
      );
    }
    throw error;
  }
}
