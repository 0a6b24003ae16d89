import { get } from '../core/api.ts';
import { TaskError } from '../core/errors.ts';
import { concatBlocks, emptyBlock, sliceBlock, type Block } from '../data/block.ts';
import { shuffleBlocks, splitEven } from '../data/all-to-all.ts';
import { driver } from '../runtime/session.ts';
import { TrainError, TrainingFailedError, UnknownDatasetError, WorkerStepMismatchError } from './errors.ts';
import type { Result } from './result.ts';
import { checkWorkerEvents, type WorkerEvent, type WorkerStart } from './session-messages.ts';
import { resolveOptions, type ResolvedOptions, type TrainerOptions } from './trainer-options.ts';
import { GroupEvents } from './group-events.ts';
import { WorkerGroup } from './worker-group.ts';

type TrainLoop = (config: Record<string, unknown>) => unknown;

/** What one run gathered across its attempts. */
interface RunState {
  history: Array<Record<string, unknown>>;
  checkpoint: unknown;
  kept: Array<{ checkpoint: unknown; metrics: Record<string, unknown> }>;
  traffic: { sent: number; uncompressed: number };
}

/** What a caller inside raybox (Tune) hooks into a run. */
interface FitHooks {
  /** Called with each of rank 0's reports, and the checkpoint that came with it. */
  onReport?: (metrics: Record<string, unknown>, checkpoint: unknown) => void;
  /** Ends the run: the group is stopped and `fit` rejects. */
  signal?: AbortSignal;
}

/** Errors that would only repeat on a restart: a restart is no cure for them. */
const NOT_RETRIED = new Set(['WorkerStepMismatchError', 'UnknownDatasetError', 'TrainConfigError', 'NoTrainSessionError']);

function errorName(error: unknown): string {
  if (error instanceof TaskError) return error.remoteName;
  return (error as { name?: string } | null)?.name ?? '';
}

function numericMetrics(metrics: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1])));
}

/**
 * Data-parallel training, after Ray Train's `DataParallelTrainer`: `fit()` starts a group of
 * `numWorkers` actors (placed by the scheduler, on peers too), runs `trainLoopPerWorker(config)`
 * in each, and gathers their reports. Inside the loop, `train.getContext()`,
 * `train.getDatasetShard(name)`, `train.report(…)`, `train.getCheckpoint()`, `train.allreduce`
 * and `train.prepareOptimizer` work. A failed worker (an exception, a lost worker) stops the
 * group and starts it again from the last reported checkpoint while `maxFailures` allows.
 *
 * @example
 * const trainer = new train.DataParallelTrainer(loop, { trainLoopConfig: { lr: 0.01 }, scalingConfig: { numWorkers: 2 }, datasets: { train: ds } });
 * const result = await trainer.fit();
 */
export class DataParallelTrainer {
  readonly trainLoopPerWorker: TrainLoop;
  readonly options: TrainerOptions;

  constructor(trainLoopPerWorker: TrainLoop, options: TrainerOptions = {}) {
    // Checked now against the options alone; the cluster is checked again when fit() starts.
    resolveOptions(trainLoopPerWorker, options, null);
    this.trainLoopPerWorker = trainLoopPerWorker;
    this.options = options;
  }

  /** Trains: starts the group, runs the loop on every worker, restarts after failures while allowed. */
  fit(): Promise<Result> {
    return this.#fit({});
  }

  /** The name a Tune trial of this trainer goes by. */
  get tuneTrialName(): string {
    return this.options.runConfig?.name ?? (this.constructor as { name: string }).name;
  }

  /**
   * One Tune trial: `config`'s `trainLoopConfig` and `scalingConfig` (what the param space
   * samples) override the trainer's own; each rank-0 report is the trial's result.
   */
  async runTrial(
    config: Record<string, unknown>,
    checkpoint: unknown,
    report: (metrics: Record<string, unknown>, checkpoint?: unknown) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void> {
    const { trainLoopConfig, scalingConfig, ...rest } = config as { trainLoopConfig?: Record<string, unknown>; scalingConfig?: Record<string, unknown> };
    const options: TrainerOptions = {
      ...this.options,
      trainLoopConfig: { ...this.options.trainLoopConfig, ...rest, ...trainLoopConfig },
      scalingConfig: { ...this.options.scalingConfig, ...scalingConfig },
      ...(checkpoint !== null && checkpoint !== undefined ? { resumeFromCheckpoint: checkpoint } : {}),
    };
    const trial = new DataParallelTrainer(this.trainLoopPerWorker, options);
    await trial.#fit({ signal, onReport: (metrics, ckpt) => void report(metrics, ckpt ?? undefined) });
  }

  async #fit(hooks: FitHooks): Promise<Result> {
    const resolved = resolveOptions(this.trainLoopPerWorker, this.options, driver().nodes());
    const datasets = await materialize(this.options.datasets ?? {});
    const state: RunState = { history: [], checkpoint: this.options.resumeFromCheckpoint ?? null, kept: [], traffic: { sent: 0, uncompressed: 0 } };
    let restarts = 0;
    for (;;) {
      const group = await WorkerGroup.start(this.trainLoopPerWorker, resolved.numWorkers, resolved.resources);
      const ranks = group.localRanks();
      const events = new GroupEvents(resolved.name, group.names[0]!, restarts, resolved.gradientCompression, group.nodeIds.map((nodeId, rank) => ({ nodeId, localRank: ranks[rank]!.localRank })));
      try {
        await this.#attempt(group, resolved, datasets, state, hooks, events);
        events.end('finished');
        break;
      } catch (error) {
        events.end('failed');
        if (hooks.signal?.aborted) throw error;
        const retry = !NOT_RETRIED.has(errorName(error)) && (resolved.maxFailures === -1 || restarts < resolved.maxFailures);
        if (!retry) {
          const message = error instanceof Error ? error.message : String(error);
          throw new TrainingFailedError(
            `Training failed${restarts > 0 ? ` after ${restarts} restart(s)` : ''}: ${message}` +
              (resolved.maxFailures === 0 && !NOT_RETRIED.has(errorName(error)) ? '\nSet runConfig.failureConfig.maxFailures to restart the group from its last checkpoint.' : ''),
            { cause: error },
          );
        }
        restarts++;
      } finally {
        group.stop();
      }
    }
    const last = state.history[state.history.length - 1] ?? {};
    return { metrics: last, metricsHistory: state.history, checkpoint: state.checkpoint, bestCheckpoints: state.kept, error: null, restarts, allreduceBytes: state.traffic };
  }

  /** One attempt: runs the loop on every worker of `group` to its end, or rejects with the first failure. */
  async #attempt(group: WorkerGroup, resolved: ResolvedOptions, datasets: Map<string, Block>, state: RunState, hooks: FitHooks, events: GroupEvents): Promise<void> {
    const n = resolved.numWorkers;
    const ranks = group.localRanks();
    const topologies = group.connect(resolved.allreduceAlgorithm === 'ring');
    const offset = state.history.length;
    const shards = new Map<string, Promise<Block[]>>();
    const shardOf = (name: string, epoch: number): Promise<Block[]> => {
      const key = `${name}/${epoch}`;
      let split = shards.get(key);
      if (!split) {
        split = Promise.resolve(splitEqual(datasets.get(name) ?? emptyBlock(), n, resolved, epoch));
        shards.set(key, split);
      }
      return split;
    };
    const reportsSeen = new Array<number>(n).fill(0);
    const pendingCheckpoints = new Map<number, unknown>();

    const handle = async (rank: number, event: WorkerEvent): Promise<void> => {
      switch (event.type) {
        case 'shard': {
          if (!datasets.has(event.name)) throw new UnknownDatasetError(`Worker ${rank} asked for dataset '${event.name}', which the trainer was not given.`);
          const block = (await shardOf(event.name, event.epoch))[rank]!;
          await get(group.actors[rank]!.deliverShard.remote({ name: event.name, epoch: event.epoch, block }));
          return;
        }
        case 'report': {
          reportsSeen[rank] = event.index + 1;
          events.report(rank, event.metrics, event.traffic);
          const iteration = offset + event.index + 1;
          for (const [key, value] of Object.entries(numericMetrics(event.metrics))) {
            driver().reportMetrics(`${resolved.name}: ${key}`, iteration, { [`worker ${rank}`]: value });
          }
          if (event.checkpoint !== undefined && (rank === 0 || !pendingCheckpoints.has(event.index))) pendingCheckpoints.set(event.index, event.checkpoint);
          if (rank !== 0) return;
          const metrics = { ...event.metrics, trainingIteration: iteration };
          state.history.push(metrics);
          const checkpoint = pendingCheckpoints.get(event.index);
          if (checkpoint !== undefined) {
            state.checkpoint = checkpoint;
            keep(state, checkpoint, metrics, resolved);
          }
          hooks.onReport?.(event.metrics, checkpoint ?? null);
          return;
        }
        case 'done':
          events.workerDone(rank, event.traffic);
          state.traffic.sent += event.traffic.sent;
          state.traffic.uncompressed += event.traffic.uncompressed;
          return;
      }
    };

    /** Takes each worker's events until its loop ends. */
    const pump = async (rank: number): Promise<void> => {
      const actor = group.actors[rank]!;
      for (;;) {
        const events = checkWorkerEvents(await get(actor.next.remote()), rank);
        for (const event of events) {
          await handle(rank, event);
          if (event.type === 'done') return;
        }
      }
    };

    const runs = group.actors.map(async (actor, rank) => {
      const start: WorkerStart = {
        context: { worldRank: rank, worldSize: n, ...ranks[rank]!, experimentName: resolved.name },
        config: this.options.trainLoopConfig ?? {},
        checkpoint: state.checkpoint,
        datasetNames: [...datasets.keys()],
        root: group.names[0]!,
        topology: topologies[rank]!,
        compression: resolved.gradientCompression,
      };
      const running = get(actor.run.remote(start)).then((counts) => {
        // Workers still waiting in an allreduce this one will never join fail at once.
        for (const [other, peer] of group.actors.entries()) if (other !== rank) void get(peer.peerEnded.remote(rank, counts.reductions)).catch(() => undefined);
        return counts;
      });
      // The events end with the loop ('done'); a handler's failure (a shard that cannot be
      // delivered) fails the attempt at once.
      const [counts] = await Promise.all([running, pump(rank)]);
      return counts;
    });
    const stopped = new Promise<never>((_, reject) => {
      const signal = hooks.signal;
      if (!signal) return;
      const stop = () => reject(new TrainError('The run was stopped (its Tune trial ended).'));
      if (signal.aborted) stop();
      else signal.addEventListener('abort', stop, { once: true });
    });
    // A stop never rejects unobserved: the race below or this handler takes it.
    stopped.catch(() => undefined);
    const counts = await Promise.race([Promise.all(runs), stopped]);
    const reports = counts.map((c) => c.reports);
    if (reports.some((r) => r !== reports[0])) {
      throw new WorkerStepMismatchError(
        `The workers called train.report different numbers of times (${reports.map((r, rank) => `worker ${rank}: ${r}`).join(', ')}). ` +
          'Every worker must report the same number of times, e.g. once per epoch.',
      );
    }
  }
}

/** Ray's `TensorflowTrainer`: a `DataParallelTrainer` whose workers train TensorFlow.js models. */
export class TensorflowTrainer extends DataParallelTrainer {}

/** Each dataset's rows, in the page, so every epoch can split them anew. */
async function materialize(datasets: Record<string, { iterBlocks(): AsyncIterable<Block> }>): Promise<Map<string, Block>> {
  const out = new Map<string, Block>();
  for (const [name, ds] of Object.entries(datasets)) {
    const blocks: Block[] = [];
    for await (const block of ds.iterBlocks()) blocks.push(block);
    out.set(name, concatBlocks(blocks));
  }
  return out;
}

/**
 * `n` disjoint shards of equal rows (the remainder, fewer than `n` rows, is left out, as Ray's
 * `streaming_split(equal=True)`), so every worker takes the same number of steps; shuffled
 * anew for each epoch when the dataset config asks.
 */
function splitEqual(all: Block, n: number, resolved: ResolvedOptions, epoch: number): Block[] {
  const { shuffleEachEpoch, seed } = resolved.datasetConfig;
  const rows = shuffleEachEpoch ? (shuffleBlocks([all], seed === undefined ? undefined : seed + epoch)[0] ?? all) : all;
  const each = Math.floor(rows.numRows / n);
  return splitEven(sliceBlock(rows, 0, each * n), n);
}

/** Adds a reported checkpoint to those kept, best first when a score attribute ranks them. */
function keep(state: RunState, checkpoint: unknown, metrics: Record<string, unknown>, resolved: ResolvedOptions): void {
  const { numToKeep, checkpointScoreAttribute: attr, checkpointScoreOrder = 'max' } = resolved.checkpointConfig;
  state.kept.push({ checkpoint, metrics });
  if (attr !== undefined) {
    const score = (m: Record<string, unknown>) => {
      const v = m[attr];
      return typeof v === 'number' ? (checkpointScoreOrder === 'max' ? v : -v) : -Infinity;
    };
    state.kept.sort((a, b) => score(b.metrics) - score(a.metrics));
  }
  if (numToKeep !== undefined && state.kept.length > numToKeep) {
    // Without a score the oldest go; with one, the worst.
    if (attr === undefined) state.kept.splice(0, state.kept.length - numToKeep);
    else state.kept.splice(numToKeep);
  }
}
