import type { EnvCreator, Space } from '../env/index.ts';
import { describeSpace, EnvNotFoundError, registeredEnvIds } from '../env/index.ts';
import { createRng } from '../env/random.ts';
import { envSpec, makeEnvFromSpec, type EnvSpec } from '../env-source.ts';
import { AlgorithmConfigError } from '../errors.ts';
import { ACTIVATIONS, type ModelConfig } from '../models/model-config.ts';
import { obsEncoder } from '../models/obs-encoder.ts';
import type { PolicySpec } from '../models/policy-spec.ts';
import { Algorithm } from './algorithm.ts';
import type { AlgorithmName, AlgorithmSpec, CommonTrainingOptions, EnvRunnersOptions, Spaces } from './algorithm-spec.ts';
import { checkKnownKeys, checkNumber, show } from './config-checks.ts';

/** What `config.environment(...)` takes: an env id, a creator, or RLlib's `{ env, envConfig }`. */
export type EnvironmentOption = string | EnvCreator | { env: string | EnvCreator; envConfig?: Record<string, unknown> };

/** `config.training(...)`: any subset of the algorithm's settings; `model` merges key by key. */
export type TrainingUpdate<T extends CommonTrainingOptions> = Partial<Omit<T, 'model'>> & { model?: Partial<ModelConfig> };

const ENV_RUNNER_KEYS = ['numEnvRunners', 'numEnvsPerEnvRunner', 'rolloutFragmentLength'] as const;
const MODEL_KEYS = ['fcnetHiddens', 'fcnetActivation'] as const;

/**
 * RLlib's AlgorithmConfig: a chained builder that validates itself. Each algorithm's config
 * (`PPOConfig`, `DQNConfig`, `PGConfig`) starts from defaults that learn its classic tasks;
 * every setter returns the config, and `build()` validates and starts the algorithm.
 *
 * @example
 * const algo = new rl.PPOConfig()
 *   .environment('CartPole-v1')
 *   .envRunners({ numEnvRunners: 2, numEnvsPerEnvRunner: 4 })
 *   .training({ lr: 0.0005, trainBatchSize: 2000, model: { fcnetHiddens: [64, 64] } })
 *   .debugging({ seed: 0 })
 *   .build();
 * const result = await algo.train();
 */
export abstract class AlgorithmConfig<T extends CommonTrainingOptions = CommonTrainingOptions> {
  /** The algorithm this config builds. */
  abstract readonly algorithm: AlgorithmName;
  #env: EnvSpec | undefined;
  #envRunners: EnvRunnersOptions;
  #training: T;
  #seed: number | undefined;

  protected constructor(training: T, envRunners: EnvRunnersOptions) {
    this.#training = structuredClone(training);
    this.#envRunners = { ...envRunners };
  }

  /**
   * The environment to learn: a registered id, a creator function, or `{ env, envConfig }` with
   * `envConfig` passed to the creator.
   *
   * @example
   * config.environment('CartPole-v1');
   * config.environment({ env: 'CartPole-v1', envConfig: { maxEpisodeSteps: 200 } });
   */
  environment(env: EnvironmentOption, options: { envConfig?: Record<string, unknown> } = {}): this {
    if (typeof env === 'string' || typeof env === 'function') {
      this.#env = envSpec(env, options.envConfig ?? {});
    } else if (typeof env === 'object' && env !== null && 'env' in env) {
      checkKnownKeys('environment()', env, ['env', 'envConfig']);
      this.#env = envSpec(env.env, env.envConfig ?? options.envConfig ?? {});
    } else {
      throw new AlgorithmConfigError('environment', `environment() takes an env id such as 'CartPole-v1', a creator function, or { env, envConfig }; got ${show(env)}.`);
    }
    return this;
  }

  /**
   * Who samples and how much: `numEnvRunners` actors (0 = sample in the learner's worker), each
   * stepping `numEnvsPerEnvRunner` envs, `rolloutFragmentLength` steps per env per sample.
   *
   * @example
   * config.envRunners({ numEnvRunners: 2, numEnvsPerEnvRunner: 4 });
   */
  envRunners(options: Partial<EnvRunnersOptions>): this {
    checkKnownKeys('envRunners()', options, ENV_RUNNER_KEYS);
    this.#envRunners = { ...this.#envRunners, ...withoutUndefined(options) };
    return this;
  }

  /**
   * Training settings: the shared ones (`lr`, `gamma`, `trainBatchSize`, `minibatchSize`,
   * `numEpochs`, `gradClip`, `model: { fcnetHiddens, fcnetActivation }`) and the algorithm's own.
   * Unknown keys throw at once, so a typo never silently trains with a default.
   *
   * @example
   * config.training({ lr: 0.001, model: { fcnetHiddens: [32, 32], fcnetActivation: 'relu' } });
   */
  training(options: TrainingUpdate<T>): this {
    checkKnownKeys('training()', options, Object.keys(this.#training));
    const { model, ...rest } = options;
    if (model !== undefined) checkKnownKeys('training().model', model, MODEL_KEYS);
    this.#training = {
      ...this.#training,
      ...structuredClone(withoutUndefined(rest)),
      model: { ...this.#training.model, ...structuredClone(withoutUndefined(model ?? {})) },
    };
    return this;
  }

  /**
   * `seed` fixes weight initialisation, env resets, action sampling and minibatch order, so a run
   * repeats exactly (runners derive their own seeds from it).
   *
   * @example
   * config.debugging({ seed: 42 });
   */
  debugging(options: { seed?: number }): this {
    checkKnownKeys('debugging()', options, ['seed']);
    if (options.seed !== undefined) checkNumber('debugging.seed', options.seed, { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true, example: 42 });
    this.#seed = options.seed;
    return this;
  }

  /** The training settings as they stand (a copy). */
  get trainingOptions(): T {
    return structuredClone(this.#training);
  }

  /** The env-runner settings as they stand (a copy). */
  get envRunnersOptions(): EnvRunnersOptions {
    return { ...this.#envRunners };
  }

  /**
   * Checks every setting, and the environment against the algorithm, and throws an
   * `AlgorithmConfigError` naming the first setting at fault and the range that works.
   *
   * @example
   * try { config.validate(); } catch (error) { console.log(error.message); }
   */
  validate(): void {
    this.#resolve(0);
  }

  /**
   * The validated config as plain data, with defaults and `'auto'` resolved: what the learner's
   * worker and a checkpoint receive.
   */
  toSpec(): AlgorithmSpec<T> {
    return this.#resolve(this.#seed ?? createRng().int(2 ** 31));
  }

  /**
   * Validates the config and starts the algorithm: its learner actor and env runners.
   *
   * @example
   * const algo = new rl.DQNConfig().environment('Maze-v0').build();
   */
  build(): Algorithm {
    return new Algorithm(this.toSpec());
  }

  /** The algorithm's own checks of its training settings against the env's spaces. */
  protected abstract checkTraining(training: T, spaces: Spaces): void;

  /** How runners act for this algorithm, given the env's spaces. */
  protected abstract policySpec(training: T, spaces: Spaces, obsSize: number): PolicySpec;

  /** `rolloutFragmentLength: 'auto'` for this algorithm. */
  protected abstract autoFragmentLength(training: T, envRunners: EnvRunnersOptions): number;

  /** A Box action space reaching an algorithm that needs Discrete actions. */
  protected actionSpaceError(spaces: Spaces, why: string): AlgorithmConfigError {
    return new AlgorithmConfigError(
      'environment',
      `${this.algorithm} ${why}, but environment '${this.#env?.id ?? '?'}' has the action space ${describeSpace(spaces.action)}. ` +
        'Use an environment with a Discrete action space (e.g. wrap the env in a creator that maps n choices to Box actions).',
    );
  }

  #resolve(seed: number): AlgorithmSpec<T> {
    const env = this.#env;
    if (!env) {
      throw new AlgorithmConfigError('environment', `No environment set. Call .environment('CartPole-v1') (or another id of ${registeredEnvIds().join(', ')}) before build().`);
    }
    const spaces = readSpaces(env);
    const runners = this.#envRunners;
    checkNumber('envRunners.numEnvRunners', runners.numEnvRunners, { min: 0, max: 64, integer: true, example: 2 });
    checkNumber('envRunners.numEnvsPerEnvRunner', runners.numEnvsPerEnvRunner, { min: 1, max: 1024, integer: true, example: 4 });
    if (runners.rolloutFragmentLength !== 'auto') {
      checkNumber('envRunners.rolloutFragmentLength', runners.rolloutFragmentLength, { min: 1, max: 1_000_000, integer: true, example: 200 });
    }

    const t = this.#training;
    checkNumber('training.lr', t.lr, { min: 0, max: 1, minExclusive: true, example: 0.0005 });
    checkNumber('training.gamma', t.gamma, { min: 0, max: 1, example: 0.99 });
    checkNumber('training.trainBatchSize', t.trainBatchSize, { min: 1, max: 10_000_000, integer: true, example: 4000 });
    if (t.minibatchSize !== null) {
      checkNumber('training.minibatchSize', t.minibatchSize, { min: 1, integer: true, example: 128 });
      if (t.minibatchSize > t.trainBatchSize) {
        throw new AlgorithmConfigError(
          'training.minibatchSize',
          `training.minibatchSize (${t.minibatchSize}) is larger than training.trainBatchSize (${t.trainBatchSize}): a minibatch is a slice of the ` +
            `train batch. Use a minibatchSize from 1 to ${t.trainBatchSize}, or raise trainBatchSize.`,
        );
      }
    }
    checkNumber('training.numEpochs', t.numEpochs, { min: 1, max: 1000, integer: true, example: 10 });
    if (t.gradClip !== null) checkNumber('training.gradClip', t.gradClip, { min: 0, minExclusive: true, example: 0.5 });
    const hiddens: unknown = t.model.fcnetHiddens;
    if (!Array.isArray(hiddens) || hiddens.length > 16 || !hiddens.every((h) => Number.isInteger(h) && h >= 1 && h <= 4096)) {
      throw new AlgorithmConfigError(
        'training.model.fcnetHiddens',
        `training.model.fcnetHiddens must be a list of up to 16 layer widths, each an integer from 1 to 4096 (e.g. [64, 64]), got ${show(hiddens)}.`,
      );
    }
    if (!ACTIVATIONS.includes(t.model.fcnetActivation)) {
      throw new AlgorithmConfigError(
        'training.model.fcnetActivation',
        `training.model.fcnetActivation must be one of ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')}, got ${show(t.model.fcnetActivation)}.`,
      );
    }
    this.checkTraining(t, spaces);

    const obsSize = obsEncoder(spaces.observation).size;
    const rolloutFragmentLength = runners.rolloutFragmentLength === 'auto' ? this.autoFragmentLength(t, runners) : runners.rolloutFragmentLength;
    return {
      algorithm: this.algorithm,
      env: structuredClone(env),
      spaces,
      envRunners: { numEnvRunners: runners.numEnvRunners, numEnvsPerEnvRunner: runners.numEnvsPerEnvRunner, rolloutFragmentLength },
      training: structuredClone(t),
      seed,
      policy: this.policySpec(t, spaces, obsSize),
    };
  }
}

/** Builds the env once, here, to read its spaces (and to fail early on an unknown id). */
function readSpaces(env: EnvSpec): Spaces {
  try {
    structuredClone(env.config);
  } catch {
    throw new AlgorithmConfigError(
      'environment.envConfig',
      `environment: envConfig must hold plain data (numbers, strings, arrays, objects) because it travels to env-runner workers; got ${show(env.config)}.`,
    );
  }
  let made;
  try {
    made = makeEnvFromSpec(env);
  } catch (error) {
    if (error instanceof EnvNotFoundError) {
      throw new AlgorithmConfigError(
        'environment',
        `environment: no environment is registered as '${env.id}'. Registered ids: ${error.registeredIds.join(', ')}. ` +
          `Pick one of them, or register yours first with rl.registerEnv('${env.id}', (config) => new MyEnv(config)).`,
      );
    }
    throw error;
  }
  const spaces: Spaces = { observation: plainSpace(made.observationSpace), action: plainSpace(made.actionSpace) };
  made.close();
  if (spaces.observation.type !== 'Discrete' && spaces.observation.type !== 'Box') {
    throw new AlgorithmConfigError('environment', `environment '${env.id}': its observationSpace must be Discrete or Box, got ${show(spaces.observation)}.`);
  }
  return spaces;
}

function plainSpace(space: Space): Space {
  return structuredClone(space);
}

function withoutUndefined<O extends object>(options: O): Partial<O> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<O>;
}
