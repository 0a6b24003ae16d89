import type { Block } from './block.ts';
import type { BlockInput, Stage } from './stages.ts';

/** A `mapBatches` class: its actors, constructed once each, run the stage. */
export interface PoolSpec {
  classSource: string;
  args: unknown[];
  concurrency: number;
}

/** One lazy per-block operator. */
export interface MapOp {
  stage: Stage;
  numCpus: number;
  numGpus: number;
  pool?: PoolSpec;
  /** What events and stats call it, e.g. `map`. */
  label: string;
}

/** Where a plan's blocks come from, before its map operators. */
export type Source =
  | { kind: 'inputs'; label: string; inputs: () => Promise<BlockInput[]> }
  /** Sort, shuffle, groupBy, repartition, zip: need all blocks of the upstream at once. */
  | { kind: 'all'; label: string; upstream: Plan[]; op: (blocks: Block[][]) => Block[] }
  | { kind: 'union'; label: string; plans: Plan[] }
  | { kind: 'limit'; label: string; upstream: Plan; n: number };

export interface Plan {
  source: Source;
  ops: MapOp[];
}

/** Map operators fused into the stages one task (or one actor call) runs per block. */
export interface Segment {
  stages: Stage[];
  numCpus: number;
  numGpus: number;
  pool?: PoolSpec;
  label: string;
}

/**
 * Fuses consecutive operators with the same resources into one segment, as Ray fuses map
 * operators of one compute strategy; an actor-pool operator starts a segment of its own, and
 * the task operators after it join it.
 */
export function segments(ops: MapOp[]): Segment[] {
  const out: Segment[] = [];
  for (const op of ops) {
    const last = out[out.length - 1];
    if (!op.pool && last && last.numCpus === op.numCpus && last.numGpus === op.numGpus) {
      last.stages.push(op.stage);
      last.label += `->${op.label}`;
    } else {
      out.push({ stages: [op.stage], numCpus: op.numCpus, numGpus: op.numGpus, pool: op.pool, label: op.label });
    }
  }
  return out;
}
