import type { Rng } from '../../rl/env/random.ts';
import { Domain, Float, deepCopy } from '../search-space.ts';

/** How a hyperparameter may change: a list (moved to a neighbour), a search-space domain, or a sampler. */
export type Mutation = readonly unknown[] | Domain | (() => unknown) | { [key: string]: Mutation };

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[rng.int(list.length)] as T;
}

/**
 * PBT's explore step, as Ray's `_explore`: a list value is redrawn with `resampleProbability`
 * (or when the current value is not in it), else moved to a neighbouring index; a continuous
 * value is resampled with `resampleProbability`, else multiplied by one of
 * `perturbationFactors` (integer domains stay integers); nested objects recurse.
 *
 * @example
 * explore({ lr: 0.1 }, { lr: tune.uniform(0.001, 1) }, 0.25, [1.2, 0.8], rng); // { lr: 0.12 } or { lr: 0.08 } or a fresh draw
 */
export function explore(
  config: Record<string, unknown>,
  mutations: Record<string, Mutation>,
  resampleProbability: number,
  perturbationFactors: readonly number[],
  rng: Rng,
): Record<string, unknown> {
  const next = deepCopy(config);
  for (const [key, mutation] of Object.entries(mutations)) {
    const current = config[key];
    if (Array.isArray(mutation)) {
      const index = mutation.indexOf(current);
      if (rng.next() < resampleProbability || index < 0) {
        next[key] = pick(rng, mutation);
      } else {
        const shift = rng.next() < 0.5 ? -1 : 1;
        next[key] = mutation[Math.min(Math.max(index + shift, 0), mutation.length - 1)];
      }
    } else if (mutation instanceof Domain || typeof mutation === 'function') {
      const draw = () => (mutation instanceof Domain ? mutation.sample(rng) : (mutation as () => unknown)());
      if (rng.next() < resampleProbability || typeof current !== 'number') {
        next[key] = draw();
      } else {
        const value = current * pick(rng, perturbationFactors);
        // JavaScript has one number type: a Float domain keeps 1 × 0.8 = 0.8, an integer domain
        // (or a sampler of a whole number) is cast back, as Ray casts ints.
        const whole = mutation instanceof Domain ? !(mutation instanceof Float) : Number.isInteger(current);
        next[key] = whole ? Math.trunc(value) : value;
      }
    } else if (typeof mutation === 'object' && mutation !== null) {
      next[key] = explore((current ?? {}) as Record<string, unknown>, mutation as Record<string, Mutation>, resampleProbability, perturbationFactors, rng);
    }
  }
  return next;
}
