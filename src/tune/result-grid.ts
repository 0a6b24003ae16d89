import { bestResult, type Scope } from './best-result.ts';
import type { Result } from './result.ts';

/**
 * The results of `Tuner.fit()`, one per trial in trial order (Ray's `ResultGrid`).
 *
 * @example
 * const grid = await tuner.fit();
 * grid.getBestResult('score', 'min').config; // { x: 0, y: 0 }
 * grid.numErrors; // trials that threw
 */
export class ResultGrid implements Iterable<Result> {
  readonly #results: Result[];
  readonly #metric: string | undefined;
  readonly #mode: 'min' | 'max' | undefined;

  constructor(results: Result[], metric: string | undefined, mode: 'min' | 'max' | undefined) {
    this.#results = results;
    this.#metric = metric;
    this.#mode = mode;
  }

  get length(): number {
    return this.#results.length;
  }

  [Symbol.iterator](): Iterator<Result> {
    return this.#results[Symbol.iterator]();
  }

  /** The result of trial `index`, in trial order. */
  get(index: number): Result | undefined {
    return this.#results[index];
  }

  /** The best trial by `metric` and `mode` (default: the tuner's) under `scope` (default 'last'). */
  getBestResult(metric?: string, mode?: 'min' | 'max', scope: Scope = 'last'): Result {
    return bestResult(this.#results, metric ?? this.#metric, mode ?? this.#mode, scope);
  }

  /** The errors of the trials that failed, in trial order. */
  get errors(): Error[] {
    return this.#results.flatMap((r) => (r.error ? [r.error] : []));
  }

  get numErrors(): number {
    return this.errors.length;
  }

  get numTerminated(): number {
    return this.#results.length - this.numErrors;
  }

  /** A table: one row per trial, its config flattened as `config/<key>` and its last metrics. */
  rows(): Array<Record<string, unknown>> {
    return this.#results.map((r) => {
      const row: Record<string, unknown> = { trialId: r.trialId };
      for (const [key, value] of Object.entries(flatten(r.config))) row[`config/${key}`] = value;
      for (const [key, value] of Object.entries(r.metrics)) if (key !== 'config' && key !== 'trialId') row[key] = value;
      if (r.error) row.error = r.error.message;
      return row;
    });
  }
}

function flatten(value: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype) Object.assign(out, flatten(v as Record<string, unknown>, `${prefix}${key}/`));
    else out[`${prefix}${key}`] = v;
  }
  return out;
}
