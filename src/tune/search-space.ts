import { actorDescriptorOf } from '../core/actor-handle-tag.ts';
import type { Rng } from '../rl/env/random.ts';
import { TuneConfigError } from './errors.ts';

/**
 * Search spaces as in Ray Tune: a `Domain` is one hyperparameter's distribution, sampled with a
 * seeded random source; a `GridSearch` lists values that are crossed with every other grid.
 * `SampleFrom` is computed last, from the other sampled values (`spec.config`).
 */
export abstract class Domain {
  /** Draws one value. */
  abstract sample(rng: Rng): unknown;
}

/** A float in [lo, hi). */
export class Float extends Domain {
  constructor(
    readonly lo: number,
    readonly hi: number,
    readonly log = false,
    readonly q?: number,
  ) {
    super();
  }
  sample(rng: Rng): number {
    const value = this.log ? Math.exp(rng.uniform(Math.log(this.lo), Math.log(this.hi))) : rng.uniform(this.lo, this.hi);
    return this.q === undefined ? value : Math.round(value / this.q) * this.q;
  }
}

/** An integer in [lo, hi) (hi exclusive, as Ray's `randint`), optionally rounded to a multiple of q. */
export class Integer extends Domain {
  constructor(
    readonly lo: number,
    readonly hi: number,
    readonly q = 1,
  ) {
    super();
  }
  sample(rng: Rng): number {
    const value = this.lo + rng.int(this.hi - this.lo);
    return this.q === 1 ? value : Math.round(value / this.q) * this.q;
  }
}

/** A normal draw with the given mean and standard deviation (Box–Muller). */
export class Normal extends Domain {
  constructor(
    readonly mean: number,
    readonly sd: number,
  ) {
    super();
  }
  sample(rng: Rng): number {
    const u = 1 - rng.next();
    return this.mean + this.sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
  }
}

/** One of a list, uniformly. */
export class Categorical extends Domain {
  constructor(readonly categories: readonly unknown[]) {
    super();
  }
  sample(rng: Rng): unknown {
    return this.categories[rng.int(this.categories.length)];
  }
}

/** Computed from the rest of the config: `sampleFrom((spec) => spec.config.a * 2)`. */
export class SampleFrom {
  constructor(readonly fn: (spec: { config: Record<string, unknown> }) => unknown) {}
}

/** Values crossed with every other grid of the space, in the order listed. */
export class GridSearch {
  constructor(readonly values: readonly unknown[]) {}
}

function finite(name: string, ...values: number[]): void {
  if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new TuneConfigError(`tune.${name}(${values.join(', ')}): give finite numbers.`);
  }
}

function ordered(name: string, lo: number, hi: number): void {
  finite(name, lo, hi);
  if (!(lo < hi)) throw new TuneConfigError(`tune.${name}(${lo}, ${hi}): the lower bound must be below the upper; swap them.`);
}

/** @example tune.uniform(0, 1) */
export function uniform(lo: number, hi: number): Float {
  ordered('uniform', lo, hi);
  return new Float(lo, hi);
}

/** @example tune.quniform(0, 10, 0.5) */
export function quniform(lo: number, hi: number, q: number): Float {
  ordered('quniform', lo, hi);
  if (!(q > 0)) throw new TuneConfigError(`tune.quniform(${lo}, ${hi}, ${q}): q must be positive.`);
  return new Float(lo, hi, false, q);
}

/** @example tune.loguniform(1e-5, 1e-2) */
export function loguniform(lo: number, hi: number): Float {
  ordered('loguniform', lo, hi);
  if (!(lo > 0)) throw new TuneConfigError(`tune.loguniform(${lo}, ${hi}): both bounds must be positive.`);
  return new Float(lo, hi, true);
}

/** An integer in [lo, hi). @example tune.randint(1, 9) */
export function randint(lo: number, hi: number): Integer {
  ordered('randint', lo, hi);
  if (!Number.isInteger(lo) || !Number.isInteger(hi)) throw new TuneConfigError(`tune.randint(${lo}, ${hi}): give integer bounds.`);
  return new Integer(lo, hi);
}

/** An integer in [lo, hi] rounded to a multiple of q (Ray's qrandint includes hi). @example tune.qrandint(0, 100, 10) */
export function qrandint(lo: number, hi: number, q = 1): Integer {
  ordered('qrandint', lo, hi);
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || !Number.isInteger(q) || q < 1) {
    throw new TuneConfigError(`tune.qrandint(${lo}, ${hi}, ${q}): give integer bounds and a positive integer q.`);
  }
  return new Integer(lo, hi + 1, q);
}

/** @example tune.randn(0, 1) */
export function randn(mean = 0, sd = 1): Normal {
  finite('randn', mean, sd);
  if (!(sd > 0)) throw new TuneConfigError(`tune.randn(${mean}, ${sd}): the standard deviation must be positive.`);
  return new Normal(mean, sd);
}

/** @example tune.choice([16, 32, 64]) */
export function choice(categories: readonly unknown[]): Categorical {
  if (!Array.isArray(categories) || categories.length === 0) throw new TuneConfigError('tune.choice(list): give a non-empty list of values.');
  return new Categorical([...categories]);
}

/** @example tune.gridSearch([-1, -0.5, 0, 0.5, 1]) */
export function gridSearch(values: readonly unknown[]): GridSearch {
  if (!Array.isArray(values) || values.length === 0) throw new TuneConfigError('tune.gridSearch(list): give a non-empty list of values; an empty grid would run no trial.');
  return new GridSearch([...values]);
}

/** @example tune.sampleFrom((spec) => spec.config.a * 2) */
export function sampleFrom(fn: (spec: { config: Record<string, unknown> }) => unknown): SampleFrom {
  if (typeof fn !== 'function') throw new TuneConfigError('tune.sampleFrom(fn): give a function of the spec, e.g. (spec) => spec.config.lr * 2.');
  return new SampleFrom(fn);
}

/** Where a grid, domain or sampleFrom sits in a nested space. */
export interface SpacePath {
  path: string[];
  value: GridSearch | Domain | SampleFrom;
}

/** A plain object of config entries; an actor handle (tagged by a symbol) or class instance is a value. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype && actorDescriptorOf(value) === undefined;
}

/** Every search entry of a space, depth first in key order. */
export function searchEntries(space: unknown, path: string[] = []): SpacePath[] {
  if (space instanceof GridSearch || space instanceof Domain || space instanceof SampleFrom) return [{ path, value: space }];
  if (!isPlainObject(space)) return [];
  return Object.entries(space).flatMap(([key, value]) => searchEntries(value, [...path, key]));
}

/** A deep copy of plain objects and arrays; other values are shared. */
export function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => deepCopy(v) as unknown) as T;
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepCopy(v)])) as T;
  return value;
}

export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
}

export function getPath(target: unknown, path: readonly string[]): unknown {
  let node = target;
  for (const key of path) node = isPlainObject(node) ? node[key] : undefined;
  return node;
}

/**
 * The grid's points, crossed: the first grid of the space varies fastest, as Ray's variant
 * generator orders them, and each grid's values come in the order it lists them.
 */
export function gridPoints(space: unknown): Array<Array<{ path: string[]; value: unknown }>> {
  const grids = searchEntries(space).filter((e): e is { path: string[]; value: GridSearch } => e.value instanceof GridSearch);
  let points: Array<Array<{ path: string[]; value: unknown }>> = [[]];
  for (const grid of grids) {
    const next: typeof points = [];
    for (const value of grid.value.values) for (const point of points) next.push([...point, { path: grid.path, value }]);
    points = next;
  }
  return points;
}

/**
 * One config: the grid point's values, every domain sampled, then each `sampleFrom` computed
 * from the rest (in key order, so one may read an earlier one).
 */
export function resolveConfig(space: unknown, point: ReadonlyArray<{ path: string[]; value: unknown }>, rng: Rng): Record<string, unknown> {
  const config = (isPlainObject(space) ? deepCopy(space) : {}) as Record<string, unknown>;
  for (const { path, value } of point) setPath(config, path, value);
  const entries = searchEntries(config);
  for (const { path, value } of entries) if (value instanceof Domain) setPath(config, path, value.sample(rng));
  for (const { path, value } of entries) {
    if (value instanceof SampleFrom) setPath(config, path, value.fn({ config }));
  }
  return config;
}
