import { getRuntimeContext } from '../core/api.ts';
import { NoTrialSessionError } from './errors.ts';

/** What a trial sends the tuner, one per `next()` call. */
export type TrialEvent =
  | { type: 'result'; metrics: Record<string, unknown>; checkpoint?: unknown }
  /** The trainable returned; `metrics` is what it returned, when that was a metrics object. */
  | { type: 'done'; metrics?: Record<string, unknown> };

/** How a trial (re)starts: its config, the checkpoint to resume from, the iterations already done. */
export interface TrialStart {
  trialId: string;
  config: Record<string, unknown>;
  checkpoint: unknown;
  iteration: number;
}

/** A class trainable, as Ray's `tune.Trainable`. */
interface TrainableInstance {
  setup?(config: Record<string, unknown>): unknown;
  step(): unknown;
  saveCheckpoint?(): unknown;
  loadCheckpoint?(checkpoint: unknown): unknown;
}
type TrainableClass = new () => TrainableInstance;
type TrainableFunction = (config: Record<string, unknown>) => unknown;

let current: TrialRunner | null = null;

/** The runner whose trial `tune.report` reports to: one trial runs per actor, so per worker. */
function activate(runner: TrialRunner): void {
  current = runner;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A function whose prototype has `step` is a class trainable; any other function is a function trainable. */
export function isTrainableClass(value: unknown): value is TrainableClass {
  const proto = (value as { prototype?: { step?: unknown } } | null)?.prototype;
  return typeof value === 'function' && typeof proto?.step === 'function';
}

/**
 * Runs one trainable for the trial actor, in its worker (or, for RL algorithms, in the page).
 * The trainable runs in the background; each `tune.report` queues a result and returns a promise
 * that resolves when the tuner asks for the next one, so an `await tune.report(…)` pauses the
 * trial while the scheduler decides. A stopped trial is never resumed: its actor is killed or
 * given a new trial. A trainable that does not await its reports runs ahead; the tuner still
 * takes its results in order and ignores those after a stop.
 */
export class TrialRunner {
  readonly #trainable: TrainableFunction | TrainableClass;
  #events: Array<TrialEvent | { type: 'error'; error: unknown }> = [];
  #wake: (() => void) | null = null;
  #resume: (() => void) | null = null;
  #start: TrialStart | null = null;
  #iteration = 0;
  #startedAt = 0;
  #generation = 0;

  constructor(trainable: TrainableFunction | TrainableClass) {
    this.#trainable = trainable;
  }

  /** Starts (or restarts, on a reused actor) a trial. Returns the node it runs on. */
  start(start: TrialStart): { nodeId: string } {
    activate(this);
    this.#generation++;
    this.#events = [];
    this.#resume = null;
    this.#start = start;
    this.#iteration = start.iteration;
    this.#startedAt = performance.now();
    const generation = this.#generation;
    void this.#run(start).then(
      (event) => this.#push(generation, event),
      (error: unknown) => this.#push(generation, { type: 'error', error }),
    );
    return { nodeId: getRuntimeContext().nodeId };
  }

  async #run(start: TrialStart): Promise<TrialEvent> {
    await Promise.resolve();
    const trainable = this.#trainable;
    if (isTrainableClass(trainable)) {
      const instance = new trainable();
      await instance.setup?.(start.config);
      if (start.checkpoint !== null && start.checkpoint !== undefined) await instance.loadCheckpoint?.(start.checkpoint);
      for (;;) {
        const metrics = (await instance.step()) as Record<string, unknown>;
        const checkpoint = instance.saveCheckpoint ? await instance.saveCheckpoint() : undefined;
        await this.report(metrics, checkpoint === undefined ? {} : { checkpoint });
        if (isPlainObject(metrics) && metrics.done === true) return { type: 'done' };
      }
    }
    const returned = await trainable(start.config);
    return isPlainObject(returned) ? { type: 'done', metrics: returned } : { type: 'done' };
  }

  #push(generation: number, event: TrialEvent | { type: 'error'; error: unknown }): void {
    if (generation !== this.#generation) return;
    this.#events.push(event);
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /** `tune.report` of the running trial. */
  report(metrics: Record<string, unknown>, options: { checkpoint?: unknown } = {}): Promise<void> {
    if (!isPlainObject(metrics)) throw new TypeError('tune.report(metrics): give an object of metrics, e.g. tune.report({ score: 0.5 }).');
    this.#iteration++;
    const result: Record<string, unknown> = {
      ...metrics,
      trainingIteration: this.#iteration,
      timeTotalS: (performance.now() - this.#startedAt) / 1000,
    };
    const event: TrialEvent = options.checkpoint === undefined ? { type: 'result', metrics: result } : { type: 'result', metrics: result, checkpoint: options.checkpoint };
    this.#push(this.#generation, event);
    return new Promise((resolve) => {
      this.#resume = resolve;
    });
  }

  /** The checkpoint this trial resumed from, or null. */
  checkpoint(): unknown {
    return this.#start?.checkpoint ?? null;
  }

  /** Lets the trial go on past its last report and returns its next event; rethrows what the trainable threw. */
  async next(): Promise<TrialEvent> {
    const resume = this.#resume;
    this.#resume = null;
    resume?.();
    while (this.#events.length === 0) await new Promise<void>((wake) => (this.#wake = wake));
    const event = this.#events.shift();
    if (!event) throw new Error('unreachable: no trial event');
    if (event.type === 'error') throw event.error;
    return event;
  }
}

/**
 * Reports one result of the running trial: increments `trainingIteration`. Await it so the
 * scheduler's decision (go on, stop) takes effect at this point.
 *
 * @example
 * for (let i = 0; i < 10; i++) await tune.report({ score: i }, { checkpoint: { i } });
 */
export function report(metrics: Record<string, unknown>, options?: { checkpoint?: unknown }): Promise<void> {
  if (!current) throw new NoTrialSessionError('tune.report');
  return current.report(metrics, options);
}

/**
 * The checkpoint the running trial resumes from (after a restart or a PBT exploit), or null.
 *
 * @example
 * const start = tune.getCheckpoint()?.step ?? 0;
 */
export function getCheckpoint<T = unknown>(): T | null {
  if (!current) throw new NoTrialSessionError('tune.getCheckpoint');
  return current.checkpoint() as T | null;
}
