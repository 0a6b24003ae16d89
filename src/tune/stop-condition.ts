import { TuneConfigError } from './errors.ts';

/** `{ key: value }`, stopping at the first result with `result[key] >= value`, or `(trialId, result) => boolean`. */
export type StopCondition = Record<string, number> | ((trialId: string, result: Record<string, unknown>) => boolean);

/**
 * The stop test of a run config, checked at every result.
 *
 * @example
 * stopTest({ trainingIteration: 10 })('t0', { trainingIteration: 10 }); // true
 */
export function stopTest(stop: StopCondition | undefined): (trialId: string, result: Record<string, unknown>) => boolean {
  if (stop === undefined) return () => false;
  if (typeof stop === 'function') return (id, result) => stop(id, result) === true;
  if (typeof stop !== 'object' || stop === null) throw new TuneConfigError('stop: give an object such as { trainingIteration: 10 } or a function (trialId, result) => boolean.');
  for (const [key, value] of Object.entries(stop)) {
    if (typeof value !== 'number') throw new TuneConfigError(`stop.${key} is ${String(value)}: give a number; the trial stops at its first result with ${key} >= it.`);
  }
  return (_id, result) => Object.entries(stop).some(([key, value]) => typeof result[key] === 'number' && (result[key] as number) >= value);
}
