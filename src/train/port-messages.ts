import * as v from 'valibot';
import type { ErrorData } from '../core/errors.ts';
import { errorDataSchema } from '../protocol/messages.ts';
import { checker, type Checked } from '../protocol/validate.ts';
import type { ReduceOp } from './reduce-ops.ts';
import type { WireLeaf } from './wire-leaves.ts';

/**
 * What two workers of one browser say over the port the page gave them: a member sends its part
 * of `allreduce` step `seq` to its leader; the leader answers with the result, or with why the
 * step failed (as `ErrorData`, rebuilt with `errorFromData`). In a ring, each worker sends its
 * next neighbour one chunk per `ring` step of the reduce-scatter and all-gather. Checked where
 * each message enters (`checkPortMessage`).
 */

const seq = v.pipe(v.number(), v.integer(), v.minValue(0));
const op = v.picklist(['sum', 'mean', 'max']);

const wireLeaf = v.variant('kind', [
  v.object({ kind: v.literal('dense'), data: v.union([v.instance(Float32Array), v.instance(Float64Array), v.instance(Int32Array)]) }),
  v.object({ kind: v.literal('f16'), data: v.instance(Uint16Array) }),
  v.object({ kind: v.literal('sparse'), length: seq, indices: v.instance(Uint32Array), values: v.instance(Float32Array) }),
]);
const leaves = v.array(wireLeaf);

export const portMessageSchema = v.variant('type', [
  v.object({ type: v.literal('part'), seq, op, leaves }),
  v.object({ type: v.literal('result'), seq, leaves }),
  v.object({ type: v.literal('failed'), seq, error: errorDataSchema }),
  v.object({ type: v.literal('ring'), seq, op, step: seq, leaves }),
]);

/** The union the schema checks, written with `WireLeaf` (whose arrays may sit on any buffer). */
export type PortMessage =
  | { type: 'part'; seq: number; op: ReduceOp; leaves: WireLeaf[] }
  | { type: 'result'; seq: number; leaves: WireLeaf[] }
  | { type: 'failed'; seq: number; error: ErrorData }
  | { type: 'ring'; seq: number; op: ReduceOp; step: number; leaves: WireLeaf[] };

const checkSchema = checker(portMessageSchema);

/** Checks what arrived on a port: the message, or why it is refused. */
export function checkPortMessage(value: unknown): Checked<PortMessage> {
  // What the schema accepts is a PortMessage: this assignment fails to compile if they drift.
  return checkSchema(value);
}
