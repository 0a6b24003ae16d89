import type { Rng } from '../env/index.ts';

/**
 * A categorical distribution over `n` actions given by logits, row `row` of a `batch × n` array:
 * what PPO and PG policies output. Computed in float64 with the max subtracted first, so large
 * logits never overflow.
 */

/** Draws an action and returns it with its log-probability. */
export function sampleCategorical(logits: Float32Array, row: number, n: number, rng: Rng): { action: number; logp: number } {
  const base = row * n;
  const max = rowMax(logits, base, n);
  let total = 0;
  for (let a = 0; a < n; a++) total += Math.exp((logits[base + a] as number) - max);
  const logTotal = Math.log(total);
  let u = rng.next() * total;
  let action = n - 1;
  for (let a = 0; a < n; a++) {
    u -= Math.exp((logits[base + a] as number) - max);
    if (u < 0) {
      action = a;
      break;
    }
  }
  return { action, logp: (logits[base + action] as number) - max - logTotal };
}

/** The most likely action (the first of equals), with its log-probability. */
export function greedyCategorical(logits: Float32Array, row: number, n: number): { action: number; logp: number } {
  const base = row * n;
  const action = argmax(logits, base, n);
  const max = logits[base + action] as number;
  let total = 0;
  for (let a = 0; a < n; a++) total += Math.exp((logits[base + a] as number) - max);
  return { action, logp: -Math.log(total) };
}

/** Index (0..n-1) of the largest of `values[base .. base + n)`; the first one on ties. */
export function argmax(values: ArrayLike<number>, base: number, n: number): number {
  let best = 0;
  for (let a = 1; a < n; a++) if ((values[base + a] as number) > (values[base + best] as number)) best = a;
  return best;
}

function rowMax(values: Float32Array, base: number, n: number): number {
  let max = -Infinity;
  for (let a = 0; a < n; a++) max = Math.max(max, values[base + a] as number);
  return max;
}
