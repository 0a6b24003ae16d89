import { TrainError } from './errors.ts';

/** What `allreduce` combines the workers' values with. */
export type ReduceOp = 'sum' | 'mean' | 'max';

export const REDUCE_OPS: readonly ReduceOp[] = ['sum', 'mean', 'max'];

/** One leaf of a reduced value, as it travels: its numbers in their own typed array. */
export type Leaf = Float32Array | Float64Array | Int32Array;

/** Adds `from` into `into` (same length), or takes the larger element for 'max'. */
export function combine(into: Leaf, from: Leaf, op: ReduceOp): void {
  if (op === 'max') {
    for (let i = 0; i < into.length; i++) if (from[i]! > into[i]!) into[i] = from[i]!;
  } else {
    for (let i = 0; i < into.length; i++) into[i] = into[i]! + from[i]!;
  }
}

/**
 * Reduces the contributions of every worker, leaf by leaf, into the first one (which the caller
 * owns). The order of addition is the contributions' order (by rank), so every run adds alike.
 *
 * @throws TrainError when the workers' values differ in number or length of leaves.
 */
export function reduceLeaves(contributions: Leaf[][], op: ReduceOp): Leaf[] {
  const [first, ...rest] = contributions;
  if (!first) return [];
  for (const [k, other] of rest.entries()) {
    if (other.length !== first.length || other.some((leaf, i) => leaf.length !== first[i]!.length)) {
      throw new TrainError(
        `allreduce: worker ${k + 1} gave ${other.length} arrays of lengths [${other.map((l) => l.length).join(', ')}] but worker 0 gave ` +
          `${first.length} of lengths [${first.map((l) => l.length).join(', ')}]. Every worker must reduce values of the same shape.`,
      );
    }
    first.forEach((leaf, i) => combine(leaf, other[i]!, op));
  }
  if (op === 'mean') finishMean(first, contributions.length);
  return first;
}

/** Divides sums by the `n` workers that gave them (integers rounded), in place. */
export function finishMean(leaves: Leaf[], n: number): void {
  for (const leaf of leaves) {
    if (leaf instanceof Int32Array) for (let i = 0; i < leaf.length; i++) leaf[i] = Math.round(leaf[i]! / n);
    else for (let i = 0; i < leaf.length; i++) leaf[i] = leaf[i]! / n;
  }
}
