import type { Rng } from '../../rl/env/random.ts';
import { TuneConfigError } from '../errors.ts';
import { Categorical, deepCopy, Float, GridSearch, Integer, Normal, SampleFrom, searchEntries, setPath } from '../search-space.ts';

/** One tuned hyperparameter as model-based searchers see it: a number in [0, 1], or a category index. */
export type Param =
  | { path: string[]; kind: 'number'; lo: number; hi: number; log: boolean; integer: boolean; q: number | undefined }
  | { path: string[]; kind: 'category'; categories: readonly unknown[] };

/**
 * The tuned parameters of a space, for searchers that model them (TPE, GP). Grids and
 * `sampleFrom` have no distribution to model, so they are refused before any trial starts.
 */
export function paramsOf(space: Record<string, unknown>, who: string, numericOnly = false): Param[] {
  const params: Param[] = [];
  for (const { path, value } of searchEntries(space)) {
    if (value instanceof GridSearch || value instanceof SampleFrom || value instanceof Normal) {
      throw new TuneConfigError(`${who} cannot model '${path.join('.')}' (${value.constructor.name}); use uniform, loguniform, randint or choice there, or the BasicVariantGenerator.`);
    }
    if (value instanceof Float) params.push({ path, kind: 'number', lo: value.lo, hi: value.hi, log: value.log, integer: false, q: value.q });
    else if (value instanceof Integer) params.push({ path, kind: 'number', lo: value.lo, hi: value.hi - 1, log: false, integer: true, q: value.q === 1 ? undefined : value.q });
    else if (value instanceof Categorical) {
      if (numericOnly) throw new TuneConfigError(`${who} models numbers only; '${path.join('.')}' is a choice. Use TPESearch for choices.`);
      params.push({ path, kind: 'category', categories: value.categories });
    }
  }
  if (params.length === 0) throw new TuneConfigError(`${who} found nothing to tune in the space: give at least one tune.uniform, loguniform, randint or choice.`);
  return params;
}

/** A value of `param` from its unit coordinate (or category index). */
export function decode(param: Param, u: number): unknown {
  if (param.kind === 'category') return param.categories[Math.min(param.categories.length - 1, Math.max(0, Math.round(u)))];
  const t = Math.min(1, Math.max(0, u));
  let value = param.log ? Math.exp(Math.log(param.lo) + t * (Math.log(param.hi) - Math.log(param.lo))) : param.lo + t * (param.hi - param.lo);
  if (param.q !== undefined) value = Math.round(value / param.q) * param.q;
  if (param.integer) value = Math.round(value);
  return value;
}

/** The unit coordinate (or category index) of a value of `param`. */
export function encode(param: Param, value: unknown): number {
  if (param.kind === 'category') return Math.max(0, param.categories.indexOf(value));
  const v = Number(value);
  if (param.log) return (Math.log(v) - Math.log(param.lo)) / (Math.log(param.hi) - Math.log(param.lo));
  return param.hi === param.lo ? 0 : (v - param.lo) / (param.hi - param.lo);
}

/** A random point: unit coordinates for numbers, indices for categories. */
export function randomPoint(params: readonly Param[], rng: Rng): number[] {
  return params.map((p) => (p.kind === 'category' ? rng.int(p.categories.length) : rng.next()));
}

/** The config of a point: the space with each tuned parameter replaced by its value. */
export function configOf(space: Record<string, unknown>, params: readonly Param[], point: readonly number[]): Record<string, unknown> {
  const config = deepCopy(space);
  params.forEach((p, i) => setPath(config, p.path, decode(p, point[i] ?? 0)));
  return config;
}

/** The score to minimise: the metric itself for 'min', its negation for 'max'; undefined when absent. */
export function lossOf(result: Record<string, unknown> | null, metric: string | undefined, mode: 'min' | 'max' | undefined): number | undefined {
  const value = metric === undefined ? undefined : result?.[metric];
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return mode === 'max' ? -value : value;
}
