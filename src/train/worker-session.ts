import { get, getActor } from '../core/api.ts';
import { batchesOf, type Batch, type IterBatchesOptions } from '../data/batches.ts';
import { blockToRows, type Block, type Row } from '../data/block.ts';
import { checkBatchFormat } from '../data/stages.ts';
import { Collective } from './collective.ts';
import { NoTrainSessionError, TrainError, UnknownDatasetError } from './errors.ts';
import { REDUCE_OPS, type ReduceOp } from './reduce-ops.ts';
import type { ShardDelivery, TrainContext, WorkerEvent, WorkerStart } from './session-messages.ts';
import { putTogether, takeApart } from './value-shape.ts';
import type { WireLeaf } from './wire-leaves.ts';

type TrainLoop = (config: Record<string, unknown>) => unknown;

/** The session of this worker's running loop: one training worker per actor, so per worker. */
const active: { session: TrainSession | null } = { session: null };

function session(call: string): TrainSession {
  if (!active.session) throw new NoTrainSessionError(call);
  return active.session;
}

/**
 * One worker of a training group, in its worker: runs `trainLoopPerWorker`, queues its reports
 * and shard requests for the page (which takes them with `next()`), and takes part in the group's
 * `allreduce` steps (`Collective`). One session runs per actor, so per worker.
 */
export class TrainSession {
  readonly #loop: TrainLoop;
  #start: WorkerStart | null = null;
  #events: WorkerEvent[] = [];
  #wake: (() => void) | null = null;
  #reports = 0;
  #collective: Collective | null = null;
  readonly #epochs = new Map<string, number>();
  readonly #shards = new Map<string, { resolve: (block: Block) => void; promise: Promise<Block> }>();

  constructor(loop: TrainLoop) {
    this.#loop = loop;
  }

  /** Runs the loop to its end; resolves with its counts, rejects with what it threw. */
  async run(start: WorkerStart): Promise<{ reports: number; reductions: number }> {
    active.session = this;
    this.#start = start;
    const { worldRank, worldSize } = start.context;
    const root = getActor<TrainSession>(start.root);
    const collective = new Collective(worldRank, worldSize, start.topology, start.compression, (seq, group, op, leaves) => get(root.contribute.remote(seq, group, op, leaves)));
    this.#collective = collective;
    await collective.connect();
    try {
      await this.#loop(start.config);
    } finally {
      collective.ended(worldRank, collective.steps);
    }
    const counts = { reports: this.#reports, reductions: collective.steps };
    this.#push({ type: 'done', ...counts, traffic: { ...collective.traffic } });
    return counts;
  }

  /** The events queued since the last call; waits for at least one. */
  async next(): Promise<WorkerEvent[]> {
    while (this.#events.length === 0) await new Promise<void>((wake) => (this.#wake = wake));
    return this.#events.splice(0);
  }

  #push(event: WorkerEvent): void {
    this.#events.push(event);
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  get context(): TrainContext {
    if (!this.#start) throw new NoTrainSessionError('train.getContext()');
    return this.#start.context;
  }

  get checkpoint(): unknown {
    return this.#start?.checkpoint ?? null;
  }

  report(metrics: Record<string, unknown>, options: { checkpoint?: unknown } = {}): Promise<void> {
    if (typeof metrics !== 'object' || metrics === null || Array.isArray(metrics)) {
      throw new TypeError('train.report(metrics): give an object of metrics, e.g. train.report({ loss: 0.3 }).');
    }
    const index = this.#reports++;
    const traffic = { ...(this.#collective?.traffic ?? { sent: 0, uncompressed: 0 }) };
    const event: WorkerEvent = options.checkpoint === undefined ? { type: 'report', index, metrics, traffic } : { type: 'report', index, metrics, traffic, checkpoint: options.checkpoint };
    this.#push(event);
    return Promise.resolve();
  }

  /** This worker's shard of dataset `name`; each pass over it is the next epoch. */
  datasetShard(name: string): DatasetShard {
    const start = this.#start;
    if (!start) throw new NoTrainSessionError('train.getDatasetShard()');
    if (!start.datasetNames.includes(name)) {
      const known = start.datasetNames.length > 0 ? start.datasetNames.map((n) => `'${n}'`).join(', ') : 'none';
      throw new UnknownDatasetError(`getDatasetShard('${name}'): the trainer was given no dataset '${name}' (it has ${known}). Pass it in the trainer's datasets: { ${name}: ds }.`);
    }
    return new DatasetShard(() => this.#nextEpoch(name));
  }

  #nextEpoch(name: string): Promise<Block> {
    const epoch = this.#epochs.get(name) ?? 0;
    this.#epochs.set(name, epoch + 1);
    let resolve!: (block: Block) => void;
    const promise = new Promise<Block>((r) => (resolve = r));
    this.#shards.set(`${name}/${epoch}`, { resolve, promise });
    this.#push({ type: 'shard', name, epoch });
    return promise;
  }

  /** The page hands over the rows this worker asked for. */
  deliverShard(delivery: ShardDelivery): void {
    this.#shards.get(`${delivery.name}/${delivery.epoch}`)?.resolve(delivery.block);
    this.#shards.delete(`${delivery.name}/${delivery.epoch}`);
  }

  /** `allreduce`; `compress` sends the leaves as the trainer's `gradientCompression` asks (gradients). */
  async allreduce(value: unknown, op: ReduceOp = 'mean', compress = false): Promise<unknown> {
    if (!REDUCE_OPS.includes(op)) throw new TrainError(`allreduce(value, op): op is one of ${REDUCE_OPS.join(', ')}, not ${String(op)}.`);
    const collective = this.#collective;
    if (!collective) throw new NoTrainSessionError('train.allreduce()');
    const { leaves, shape } = await takeApart(value);
    return putTogether(shape, await collective.reduce(leaves, op, compress));
  }

  /** At the root (rank 0): a group leader's part of `allreduce` step `seq` (an actor call). */
  contribute(seq: number, group: number, op: ReduceOp, leaves: WireLeaf[]): Promise<WireLeaf[]> {
    const collective = this.#collective;
    if (!collective) return Promise.reject(new NoTrainSessionError('allreduce before the root started'));
    return collective.contribute(seq, group, op, leaves);
  }

  /** The page says worker `rank`'s loop ended after `reductions` allreduce calls. */
  peerEnded(rank: number, reductions: number): void {
    this.#collective?.ended(rank, reductions);
  }
}

/** A worker's share of one dataset: each `iterBatches` or `iterRows` call is one epoch. */
export class DatasetShard {
  readonly #nextEpoch: () => Promise<Block>;

  constructor(nextEpoch: () => Promise<Block>) {
    this.#nextEpoch = nextEpoch;
  }

  async *#blocks(): AsyncGenerator<Block> {
    const block = await this.#nextEpoch();
    if (block.numRows > 0) yield block;
  }

  async *iterRows(): AsyncGenerator<Row> {
    for await (const block of this.#blocks()) yield* blockToRows(block);
  }

  async *iterBatches(options: IterBatchesOptions = {}): AsyncGenerator<Batch> {
    const format = checkBatchFormat(options.batchFormat ?? 'columns', 'iterBatches');
    yield* batchesOf(this.#blocks(), options.batchSize ?? 256, format, options);
  }
}

/**
 * Where this worker stands in its group.
 *
 * @example
 * const { worldRank, worldSize } = train.getContext();
 */
export function getContext(): TrainContext {
  return session('train.getContext()').context;
}

/**
 * This worker's shard of the dataset given to the trainer under `name`: disjoint from the other
 * workers' and of equal rows; iterate it once per epoch.
 *
 * @example
 * for await (const batch of train.getDatasetShard('train').iterBatches({ batchSize: 64 })) { … }
 */
export function getDatasetShard(name = 'train'): DatasetShard {
  return session('train.getDatasetShard()').datasetShard(name);
}

/**
 * Reports metrics (and a checkpoint) of this step. Every worker calls it the same number of
 * times; rank 0's metrics are the result's.
 *
 * @example
 * await train.report({ epoch, loss }, { checkpoint: await train.Checkpoint.fromModel(model) });
 */
export function report(metrics: Record<string, unknown>, options?: { checkpoint?: unknown }): Promise<void> {
  return session('train.report()').report(metrics, options);
}

/**
 * The checkpoint this run resumes from (after a worker was lost, or `resumeFromCheckpoint`), or null.
 *
 * @example
 * const ckpt = train.getCheckpoint(); if (ckpt) await ckpt.loadInto(model);
 */
export function getCheckpoint<T = unknown>(): T | null {
  return session('train.getCheckpoint()').checkpoint as T | null;
}

/**
 * Combines `value` across the group's workers: every worker gets the same result, of the same
 * shape. `value` is a typed array, a tensor, or an array or plain object of them.
 *
 * @example
 * const total = await train.allreduce(new Float32Array([localLoss]), 'sum');
 */
export function allreduce<T>(value: T, op: ReduceOp = 'mean'): Promise<T> {
  return session('train.allreduce()').allreduce(value, op) as Promise<T>;
}

/** The mean of every worker's gradients, sent as the trainer's `gradientCompression` asks. */
export function allreduceGradients<T>(grads: T): Promise<T> {
  return session('train.prepareOptimizer()').allreduce(grads, 'mean', true) as Promise<T>;
}
