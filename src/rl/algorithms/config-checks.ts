import { AlgorithmConfigError } from '../errors.ts';

/**
 * Range checks for config values, each failing with an `AlgorithmConfigError` whose message names
 * the setting, what it got, and the range that works.
 */

/** The range a numeric setting accepts. */
export interface NumberRange {
  min?: number;
  max?: number;
  /** `min` itself is not allowed (e.g. a learning rate must be > 0). */
  minExclusive?: boolean;
  integer?: boolean;
  /** A typical value, quoted in the message. */
  example?: number;
}

/** Throws unless `value` is a number within `range`. */
export function checkNumber(setting: string, value: unknown, range: NumberRange): number {
  const { min, max, minExclusive = false, integer = false } = range;
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (!integer || Number.isInteger(value)) &&
    (min === undefined || (minExclusive ? value > min : value >= min)) &&
    (max === undefined || value <= max);
  if (!ok) throw new AlgorithmConfigError(setting, `${setting} must be ${describeRange(range)}, got ${show(value)}.`);
  return value as number;
}

/** "an integer from 1 to 64", "a number > 0 (e.g. 0.0003)" … */
export function describeRange(range: NumberRange): string {
  const { min, max, minExclusive = false, integer = false, example } = range;
  const kind = integer ? 'an integer' : 'a number';
  let text: string;
  if (min !== undefined && max !== undefined && !minExclusive) text = `${kind} from ${min} to ${max}`;
  else if (min !== undefined && max !== undefined) text = `${kind} > ${min} and ≤ ${max}`;
  else if (min !== undefined) text = `${kind} ${minExclusive ? '>' : '≥'} ${min}`;
  else if (max !== undefined) text = `${kind} ≤ ${max}`;
  else text = kind;
  return example === undefined ? text : `${text} (e.g. ${example})`;
}

/** Throws when `options` has a key outside `known`: a typo should fail loudly, not be ignored. */
export function checkKnownKeys(call: string, options: object, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new AlgorithmConfigError(call, `${call} takes an object of settings, got ${show(options)}.`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new AlgorithmConfigError(`${call}.${key}`, `${call}: unknown setting '${key}'. Known settings: ${known.join(', ')}.`);
    }
  }
}

/** A value as a message shows it. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `a function`;
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return 'an object';
    }
  }
  return String(value);
}
