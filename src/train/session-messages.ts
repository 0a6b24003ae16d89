import type { Block } from '../data/block.ts';
import type { Topology, Traffic } from './collective.ts';
import { TrainError } from './errors.ts';
import type { GradientCompression } from './wire-leaves.ts';

/**
 * What the page and a training worker say to each other. The page starts the loop with a
 * `WorkerStart`; the worker answers each `next()` with the events queued since the last one.
 */

/** Where one worker stands in its group: Ray Train's `TrainContext`. */
export interface TrainContext {
  worldRank: number;
  worldSize: number;
  /** Rank among the group's workers on the same node (browser). */
  localRank: number;
  localWorldSize: number;
  /** Index of this worker's node among the group's nodes. */
  nodeRank: number;
  experimentName: string;
}

export interface WorkerStart {
  context: TrainContext;
  config: Record<string, unknown>;
  /** The checkpoint to resume from: the last one reported before a restart, or the trainer's `resumeFromCheckpoint`. */
  checkpoint: unknown;
  datasetNames: string[];
  /** The named actor of rank 0, through which the local groups' leaders reduce. */
  root: string;
  /** This worker's place in the group's reductions: its local group, joined by ports. */
  topology: Topology;
  /** How gradients travel (`prepareOptimizer`): float16, top-k, or as they are (null). */
  compression: GradientCompression | null;
}

export type WorkerEvent =
  | { type: 'report'; index: number; metrics: Record<string, unknown>; traffic: Traffic; checkpoint?: unknown }
  | { type: 'shard'; name: string; epoch: number }
  /** The loop returned after `reports` reports and `reductions` allreduce calls. */
  | { type: 'done'; reports: number; reductions: number; traffic: Traffic };

/** The rows of one worker's shard for one epoch, as the page delivers them. */
export interface ShardDelivery {
  name: string;
  epoch: number;
  block: Block;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTraffic(value: unknown): value is Traffic {
  return isRecord(value) && typeof value.sent === 'number' && typeof value.uncompressed === 'number';
}

/** Checks what a worker's `next()` returned before the page acts on it. */
export function checkWorkerEvents(value: unknown, rank: number): WorkerEvent[] {
  const bad = (why: string) => new TrainError(`Training worker ${rank} sent an event the page cannot read (${why}).`);
  if (!Array.isArray(value)) throw bad('not a list');
  for (const event of value as unknown[]) {
    if (!isRecord(event)) throw bad('not an object');
    switch (event.type) {
      case 'report':
        if (typeof event.index !== 'number' || !isRecord(event.metrics)) throw bad('a report without index or metrics');
        if (!isTraffic(event.traffic)) throw bad('a report without its allreduce bytes');
        break;
      case 'shard':
        if (typeof event.name !== 'string' || typeof event.epoch !== 'number') throw bad('a shard request without name or epoch');
        break;
      case 'done':
        if (typeof event.reports !== 'number' || typeof event.reductions !== 'number' || !isTraffic(event.traffic)) throw bad('an end without counts');
        break;
      default:
        throw bad(`unknown type ${String(event.type)}`);
    }
  }
  return value as WorkerEvent[];
}
