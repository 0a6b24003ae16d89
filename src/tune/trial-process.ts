import { get, kill, remote } from '../core/api.ts';
import type { ActorHandle } from '../core/actor-handle.ts';
import { describeFunction } from '../core/function-descriptor.ts';
import type { Resources } from '../core/resources.ts';
import { rl } from '../rl/index.ts';
import type { Algorithm } from '../rl/algorithms/algorithm.ts';
import type { TrainResult } from '../rl/metrics.ts';
import type { PageTrainable, RlAlgorithmName } from './trainable.ts';
import type { TrialEvent, TrialStart } from './trial-runner.ts';

/** A running trial as the tuner drives it: start, take events one by one, stop. */
export interface TrialProcess {
  start(start: TrialStart): Promise<{ nodeId: string }>;
  next(): Promise<TrialEvent>;
  /** Ends the trial; `reusable` hands its actor to the next trial instead of killing it. */
  stop(reusable: boolean): void;
}

interface TrialActor {
  start(start: TrialStart): { nodeId: string };
  next(): Promise<TrialEvent>;
}

const actorClasses = new WeakMap<object, abstract new () => TrialActor>();

/**
 * The actor class that runs `fn`'s trials. Its source embeds the trainable's, so the worker
 * compiles both together (and loads TensorFlow.js first when the trainable mentions `tf`), and
 * binds `tune` to the worker's `raybox.tune`, so a trainable that calls `tune.report` works there.
 */
function trialActorClass(fn: (...args: never[]) => unknown): abstract new () => TrialActor {
  const known = actorClasses.get(fn);
  if (known) return known;
  const { source } = describeFunction(fn);
  const text =
    'class TuneTrial {\n' +
    `  constructor() { const tune = raybox.tune; this.runner = new raybox.tune.TrialRunner(${source}\n); }\n` +
    '  start(s) { return this.runner.start(s); }\n' +
    '  next() { return this.runner.next(); }\n' +
    '}';
  const cls = new Function(`return (${text});`)() as abstract new () => TrialActor;
  actorClasses.set(fn, cls);
  return cls;
}

/** Trial actors of one trainable, kept between trials when `reuseActors` is on. */
export class TrialActorPool {
  readonly #idle: Array<ActorHandle<TrialActor>> = [];
  readonly #fn: (...args: never[]) => unknown;
  readonly #resources: Resources;

  constructor(fn: (...args: never[]) => unknown, resources: Resources) {
    this.#fn = fn;
    this.#resources = resources;
  }

  process(): TrialProcess {
    const actor = this.#idle.pop() ?? remote(trialActorClass(this.#fn), { numCpus: this.#resources.CPU ?? 1, numGpus: this.#resources.GPU ?? 0 }).remote();
    return {
      start: (start) => get(actor.start.remote(start)),
      next: () => get(actor.next.remote()),
      stop: (reusable) => {
        if (reusable) this.#idle.push(actor);
        else kill(actor);
      },
    };
  }

  /** Kills the actors kept for reuse. */
  close(): void {
    for (const actor of this.#idle.splice(0)) kill(actor);
  }
}

const ENV_RUNNER_KEYS = new Set(['numEnvRunners', 'numEnvsPerEnvRunner', 'rolloutFragmentLength']);

/** The RLlib config of one trial: `env`, `envConfig`, env-runner settings, `seed`, and the rest as training settings. */
function buildAlgorithm(name: RlAlgorithmName, config: Record<string, unknown>): Algorithm {
  const { env, envConfig, seed, ...rest } = config;
  const algoConfig = name === 'PPO' ? new rl.PPOConfig() : name === 'DQN' ? new rl.DQNConfig() : new rl.PGConfig();
  if (env !== undefined) algoConfig.environment(env as string, { envConfig: (envConfig ?? {}) as Record<string, unknown> });
  const runners = Object.fromEntries(Object.entries(rest).filter(([k]) => ENV_RUNNER_KEYS.has(k)));
  const training = Object.fromEntries(Object.entries(rest).filter(([k]) => !ENV_RUNNER_KEYS.has(k)));
  algoConfig.envRunners(runners);
  (algoConfig.training as (options: Record<string, unknown>) => unknown)(training);
  if (seed !== undefined) algoConfig.debugging({ seed: seed as number });
  return algoConfig.build();
}

/** A result of `algo.train()` as Tune reports it: the learner's statistics flattened as `learner/<name>`. */
function flatten(result: TrainResult): Record<string, unknown> {
  const { learner, ...rest } = result;
  const out: Record<string, unknown> = { ...rest };
  for (const [key, value] of Object.entries(learner)) out[`learner/${key}`] = value;
  return out;
}

/**
 * A trial of an RL algorithm by name. The algorithm runs its own learner and env-runner actors,
 * so the trial itself is driven from the page: each `next()` is one `algo.train()`.
 */
export function rlProcess(name: RlAlgorithmName): TrialProcess {
  let algo: Algorithm | null = null;
  let start: TrialStart | null = null;
  return {
    start: async (s) => {
      start = s;
      algo = s.checkpoint ? rl.Algorithm.fromCheckpoint(s.checkpoint as Parameters<typeof rl.Algorithm.fromCheckpoint>[0]) : buildAlgorithm(name, s.config);
      return { nodeId: 'head' };
    },
    next: async () => {
      if (!algo || !start) throw new Error('unreachable: RL trial not started');
      const result = await algo.train();
      return { type: 'result', metrics: flatten(result), checkpoint: undefined };
    },
    stop: () => {
      void algo?.stop();
    },
  };
}

/**
 * A trial of a trainable that runs from the page (a `raybox.train` trainer): each `next()` lets
 * it go on to its next report, as a trial actor's runner does in its worker.
 */
export function pageProcess(trainable: PageTrainable): TrialProcess {
  const events: Array<TrialEvent | { type: 'error'; error: unknown }> = [];
  let wake: (() => void) | null = null;
  let resume: (() => void) | null = null;
  let iteration = 0;
  let startedAt = 0;
  const abort = new AbortController();
  const push = (event: TrialEvent | { type: 'error'; error: unknown }) => {
    events.push(event);
    const w = wake;
    wake = null;
    w?.();
  };
  return {
    start: async (s) => {
      iteration = s.iteration;
      startedAt = performance.now();
      const report = (metrics: Record<string, unknown>, checkpoint?: unknown): Promise<void> => {
        iteration++;
        const result = { ...metrics, trainingIteration: iteration, timeTotalS: (performance.now() - startedAt) / 1000 };
        push(checkpoint === undefined ? { type: 'result', metrics: result } : { type: 'result', metrics: result, checkpoint });
        return new Promise((r) => (resume = r));
      };
      trainable.runTrial(s.config, s.checkpoint, report, abort.signal).then(
        () => push({ type: 'done' }),
        (error: unknown) => {
          if (!abort.signal.aborted) push({ type: 'error', error });
        },
      );
      return { nodeId: 'head' };
    },
    next: async () => {
      const r = resume;
      resume = null;
      r?.();
      while (events.length === 0) await new Promise<void>((w) => (wake = w));
      const event = events.shift()!;
      if (event.type === 'error') throw event.error;
      return event;
    },
    stop: () => {
      abort.abort();
      resume?.();
    },
  };
}
