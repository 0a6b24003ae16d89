import type { Resources } from '../core/resources.ts';
import { TuneConfigError } from './errors.ts';
import { isTrainableClass } from './trial-runner.ts';

/** The RL algorithms Tune runs by name, as RLlib's registered trainables. */
export const RL_ALGORITHMS = ['PPO', 'DQN', 'PG'] as const;
export type RlAlgorithmName = (typeof RL_ALGORITHMS)[number];

/** What a trial holds while it runs: Ray's default for a function trainable is one CPU. */
export interface TrialResources {
  numCpus?: number;
  numGpus?: number;
}

/** A trainable with the resources each of its trials holds. */
export class WithResources<T = unknown> {
  constructor(
    readonly trainable: T,
    readonly resources: TrialResources,
  ) {}
}

/**
 * Gives each trial of `trainable` these resources (Ray's `tune.with_resources`).
 *
 * @example
 * new tune.Tuner(tune.withResources(train, { numCpus: 2 }), { ... })
 */
export function withResources<T>(trainable: T, resources: TrialResources): WithResources<T> {
  for (const [key, value] of Object.entries(resources)) {
    if ((key !== 'numCpus' && key !== 'numGpus') || typeof value !== 'number' || !(value >= 0)) {
      throw new TuneConfigError(`tune.withResources: '${key}: ${String(value)}' is not a resource; give { numCpus, numGpus } as non-negative numbers.`);
    }
  }
  return new WithResources(trainable, { ...resources });
}

/**
 * A trainable that drives its trials from the page because its own workers are actors already:
 * a `raybox.train` trainer. Tune meets it by this shape, since tune sits below train.
 */
export interface PageTrainable {
  readonly tuneTrialName: string;
  /**
   * Runs one trial with `config` merged into the trainable's own settings, from `checkpoint` when
   * not null; calls `report` for each result and waits for it; ends early when `signal` aborts.
   */
  runTrial(
    config: Record<string, unknown>,
    checkpoint: unknown,
    report: (metrics: Record<string, unknown>, checkpoint?: unknown) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void>;
}

export function isPageTrainable(value: unknown): value is PageTrainable {
  const v = value as Partial<PageTrainable> | null;
  return typeof v === 'object' && v !== null && typeof v.runTrial === 'function' && typeof v.tuneTrialName === 'string';
}

/** A trainable sorted into what runs it. */
export type TrainableSpec =
  | { kind: 'function'; fn: (...args: never[]) => unknown; name: string; resources: Resources }
  | { kind: 'rl'; algorithm: RlAlgorithmName; name: string; resources: Resources }
  | { kind: 'page'; trainable: PageTrainable; name: string; resources: Resources };

/**
 * Sorts a trainable into its kind, or says why it cannot be one, before any trial starts.
 * `resourcesPerTrial` (tune.run's) applies when the trainable does not carry its own.
 */
export function trainableSpec(trainable: unknown, resourcesPerTrial?: TrialResources): TrainableSpec {
  let resources: TrialResources = resourcesPerTrial ?? {};
  let inner = trainable;
  if (trainable instanceof WithResources) {
    inner = trainable.trainable;
    resources = trainable.resources;
  }
  const actorResources = { CPU: resources.numCpus ?? 1, GPU: resources.numGpus ?? 0 };
  if (typeof inner === 'string') {
    if ((RL_ALGORITHMS as readonly string[]).includes(inner)) {
      // The algorithm's own actors hold the CPUs; the trial itself holds none.
      return { kind: 'rl', algorithm: inner as RlAlgorithmName, name: inner, resources: { CPU: 0, GPU: 0 } };
    }
    throw new TuneConfigError(`Unknown trainable '${inner}': give a function, a class with step(), or one of ${RL_ALGORITHMS.join(', ')}.`);
  }
  if (isPageTrainable(inner)) {
    // The trainer's workers hold the CPUs; the trial itself holds none.
    return { kind: 'page', trainable: inner, name: inner.tuneTrialName, resources: { CPU: 0, GPU: 0 } };
  }
  if (typeof inner === 'function') {
    return { kind: 'function', fn: inner as (...args: never[]) => unknown, name: inner.name || (isTrainableClass(inner) ? 'Trainable' : 'trainable'), resources: actorResources };
  }
  throw new TuneConfigError(
    `The trainable is a ${inner === null ? 'null' : typeof inner}: give a function that calls tune.report, a class with setup/step, a raybox.train trainer, or an RL algorithm name (${RL_ALGORITHMS.join(', ')}).`,
  );
}
