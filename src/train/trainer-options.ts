import type { Resources } from '../core/resources.ts';
import type { NodeInfo } from '../core/events.ts';
import type { Dataset } from '../data/dataset.ts';
import { TrainConfigError } from './errors.ts';
import type { GradientCompression } from './wire-leaves.ts';

/** Ray's `ScalingConfig`. */
export interface ScalingConfig {
  /** Workers in the group. @default 1 */
  numWorkers?: number;
  /** Each worker holds a GPU (a WebGPU adapter). @default false */
  useGpu?: boolean;
  /** What each worker holds. @default { CPU: 1 } (and GPU: 1 with useGpu) */
  resourcesPerWorker?: Resources;
}

/** Ray's `CheckpointConfig`. */
export interface CheckpointConfig {
  /** Checkpoints kept in `result.bestCheckpoints`. @default all */
  numToKeep?: number;
  /** The metric that ranks checkpoints; without it the latest are kept. */
  checkpointScoreAttribute?: string;
  /** @default 'max' */
  checkpointScoreOrder?: 'min' | 'max';
}

export interface TrainRunConfig {
  /** Names the run's metric events. @default 'train' */
  name?: string;
  /** Restarts of the group after a failed worker (an exception or a lost worker); -1 = forever. @default 0 */
  failureConfig?: { maxFailures?: number };
  checkpointConfig?: CheckpointConfig;
}

/** How the trainer splits its datasets among the workers. */
export interface DatasetConfig {
  /** Shuffle each dataset's rows anew before every epoch. @default false */
  shuffleEachEpoch?: boolean;
  /** Seed of that shuffle (epoch e uses seed + e), for runs that repeat exactly. */
  seed?: number;
}

export interface TrainerOptions {
  trainLoopConfig?: Record<string, unknown>;
  scalingConfig?: ScalingConfig;
  runConfig?: TrainRunConfig;
  datasets?: Record<string, Dataset>;
  datasetConfig?: DatasetConfig;
  /** A checkpoint the first attempt starts from (`train.getCheckpoint()` returns it). */
  resumeFromCheckpoint?: unknown;
  /**
   * How a prepared optimizer's gradients travel between workers: `'float16'` (half the bytes), or
   * `{ topK: fraction }` (only the largest fraction of entries; what is not sent is added to the
   * next step's gradient). `result.allreduceBytes` says what was saved. @default uncompressed
   */
  gradientCompression?: GradientCompression;
  /**
   * How the workers of one browser combine an uncompressed `allreduce` step: `'ring'`
   * (reduce-scatter then all-gather over ports between neighbours: each worker sums a share) or
   * `'star'` (every worker sends all of it to the lowest rank, which sums and answers). Compressed
   * steps, and groups spread over several browsers, always go through the leader.
   * @default 'star': in `npm run bench` (train part, 4 MB, 2 workers on 2 cores) it took half the
   * ring's time; the ring does the same copies on both workers at once, which a busy machine
   * cannot run in parallel, and waits on a neighbour between its phases
   */
  allreduceAlgorithm?: AllreduceAlgorithm;
}

export type AllreduceAlgorithm = 'ring' | 'star';

const OPTION_NAMES = new Set(['trainLoopConfig', 'scalingConfig', 'runConfig', 'datasets', 'datasetConfig', 'resumeFromCheckpoint', 'gradientCompression', 'allreduceAlgorithm']);

/** The options with every default filled in, checked against the cluster as it is. */
export interface ResolvedOptions {
  numWorkers: number;
  resources: Resources;
  maxFailures: number;
  name: string;
  checkpointConfig: CheckpointConfig;
  datasetConfig: DatasetConfig;
  gradientCompression: GradientCompression | null;
  allreduceAlgorithm: AllreduceAlgorithm;
}

/** How many workers of `perWorker` the nodes could ever hold, node by node. */
function capacity(nodes: NodeInfo[], perWorker: Resources): number {
  let total = 0;
  for (const node of nodes) {
    if (!node.alive) continue;
    let fit = Infinity;
    for (const [name, need] of Object.entries(perWorker)) {
      if (need > 0) fit = Math.min(fit, Math.floor((node.resources[name] ?? 0) / need + 1e-9));
    }
    total += fit;
  }
  return total;
}

/**
 * Fills in and checks a trainer's options before any worker starts; against the cluster's nodes
 * when given (`fit()`), against themselves alone when not (the constructor).
 *
 * @throws TrainConfigError naming the option and what it should be.
 */
export function resolveOptions(loop: unknown, options: TrainerOptions, nodes: NodeInfo[] | null): ResolvedOptions {
  if (typeof loop !== 'function') throw new TrainConfigError('The trainer takes trainLoopPerWorker, a function (config) => { … } that each worker runs, as its first argument.');
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.has(key)) throw new TrainConfigError(`Unknown trainer option '${key}': the options are ${[...OPTION_NAMES].join(', ')}.`);
  }
  const scaling = options.scalingConfig ?? {};
  const numWorkers = scaling.numWorkers ?? 1;
  if (!Number.isInteger(numWorkers) || numWorkers < 1) {
    throw new TrainConfigError(`scalingConfig.numWorkers is ${String(numWorkers)}: give a whole number of workers, at least 1.`);
  }
  const resources: Resources = { CPU: 1, ...(scaling.useGpu ? { GPU: 1 } : {}), ...(scaling.resourcesPerWorker ?? {}) };
  const fit = nodes ? capacity(nodes, resources) : Infinity;
  if (nodes && numWorkers > fit) {
    const have = nodes
      .filter((n) => n.alive)
      .map((n) => `${n.label || n.nodeId}: ${Object.entries(n.resources).map(([k, v]) => `${String(v)} ${k}`).join(', ')}`)
      .join('; ');
    throw new TrainConfigError(
      `scalingConfig asks for ${numWorkers} workers of ${JSON.stringify(resources)}, but the cluster could hold at most ${fit} (${have || 'no nodes'}). ` +
        'Ask for fewer workers or resources per worker, start more workers with init({ numWorkers }), or let more browsers join the room.',
    );
  }
  const maxFailures = options.runConfig?.failureConfig?.maxFailures ?? 0;
  if (!Number.isInteger(maxFailures) || maxFailures < -1) {
    throw new TrainConfigError(`runConfig.failureConfig.maxFailures is ${String(maxFailures)}: give a whole number ≥ 0, or -1 to restart forever.`);
  }
  for (const [name, ds] of Object.entries(options.datasets ?? {})) {
    if (typeof (ds as { iterBlocks?: unknown } | null)?.iterBlocks !== 'function') {
      throw new TrainConfigError(`datasets.${name} is not a raybox.data Dataset: make it with data.fromItems, data.readCsv, …`);
    }
  }
  const order = options.runConfig?.checkpointConfig?.checkpointScoreOrder;
  if (order !== undefined && order !== 'min' && order !== 'max') throw new TrainConfigError(`checkpointScoreOrder is 'min' or 'max', not ${String(order)}.`);
  const compression = options.gradientCompression;
  const topK = typeof compression === 'object' && compression !== null ? (compression as { topK?: unknown }).topK : undefined;
  if (compression !== undefined && compression !== 'float16' && !(typeof topK === 'number' && topK > 0 && topK <= 1)) {
    throw new TrainConfigError(`gradientCompression is ${JSON.stringify(compression)}: give 'float16', or { topK: fraction } with a fraction in (0, 1], e.g. { topK: 0.01 }.`);
  }
  const algorithm = options.allreduceAlgorithm ?? 'star';
  if (algorithm !== 'ring' && algorithm !== 'star') throw new TrainConfigError(`allreduceAlgorithm is ${JSON.stringify(algorithm)}: give 'ring' or 'star'.`);
  return {
    gradientCompression: compression ?? null,
    allreduceAlgorithm: algorithm,
    numWorkers,
    resources,
    maxFailures,
    name: options.runConfig?.name ?? 'train',
    checkpointConfig: options.runConfig?.checkpointConfig ?? {},
    datasetConfig: options.datasetConfig ?? {},
  };
}
