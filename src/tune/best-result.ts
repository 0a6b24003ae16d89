import { TuneConfigError, TuneError } from './errors.ts';
import type { Result } from './result.ts';

export type Scope = 'last' | 'avg' | 'all' | 'last-5-avg' | 'last-10-avg';
const SCOPES: readonly Scope[] = ['last', 'avg', 'all', 'last-5-avg', 'last-10-avg'];

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * A trial's value of `metric` under Ray's scopes: the last result, the mean of all, the best of
 * all (by `mode`), or the mean of the last 5 or 10. NaN and infinities are left out, as Ray's
 * `filter_nan_and_inf`; undefined when nothing is left.
 */
export function scopedValue(result: Result, metric: string, mode: 'min' | 'max', scope: Scope): number | undefined {
  const values = result.metricsHistory.map((m) => m[metric]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (values.length === 0) return undefined;
  switch (scope) {
    case 'last': {
      const last = result.metricsHistory[result.metricsHistory.length - 1]?.[metric];
      return typeof last === 'number' && Number.isFinite(last) ? last : undefined;
    }
    case 'avg':
      return mean(values);
    case 'all':
      return mode === 'max' ? Math.max(...values) : Math.min(...values);
    case 'last-5-avg':
      return mean(values.slice(-5));
    case 'last-10-avg':
      return mean(values.slice(-10));
  }
}

/** The result whose scoped metric is best; the first such in trial order on a tie. */
export function bestResult(results: readonly Result[], metric: string | undefined, mode: string | undefined, scope: Scope): Result {
  if (metric === undefined || mode === undefined) {
    throw new TuneConfigError("getBestResult needs a metric and a mode: pass them, e.g. getBestResult('score', 'min'), or set them in tuneConfig.");
  }
  if (mode !== 'min' && mode !== 'max') throw new TuneConfigError(`mode must be 'min' or 'max', not '${mode}'.`);
  if (!SCOPES.includes(scope)) throw new TuneConfigError(`scope must be one of ${SCOPES.join(', ')}, not '${scope}'.`);
  let best: Result | undefined;
  let bestValue = 0;
  for (const result of results) {
    const value = scopedValue(result, metric, mode, scope);
    if (value === undefined) continue;
    if (!best || (mode === 'max' ? value > bestValue : value < bestValue)) {
      best = result;
      bestValue = value;
    }
  }
  if (!best) throw new TuneError(`No trial reported a finite '${metric}'. Check the metric's name against what the trainable passes to tune.report.`);
  return best;
}
