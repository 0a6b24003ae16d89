import type { Rng } from './random.ts';

/**
 * The integers 0..n-1. Actions of CartPole, MountainCar and the maze, and the maze's observation,
 * are Discrete: algorithms read `n` to size a policy's output or a Q-table.
 */
export interface Discrete {
  readonly type: 'Discrete';
  readonly n: number;
}

/**
 * A box of real vectors, `low[i] <= x[i] <= high[i]`, flattened in row-major order of `shape`.
 * Bounds are float32 values (like Gymnasium's default dtype), and may be ±Infinity for an
 * unbounded dimension. Values in a Box are `Float32Array`s or plain number arrays.
 */
export interface Box {
  readonly type: 'Box';
  readonly low: readonly number[];
  readonly high: readonly number[];
  readonly shape: readonly number[];
}

/** Every space an environment may declare; switch on `type` to tell them apart. */
export type Space = Discrete | Box;

/**
 * A Discrete space of `n` values.
 *
 * @example
 * const actions = discrete(2); // { type: 'Discrete', n: 2 }
 */
export function discrete(n: number): Discrete {
  if (!Number.isInteger(n) || n <= 0) {
    throw new RangeError(`discrete(n) needs a positive integer n, got ${String(n)}.`);
  }
  return { type: 'Discrete', n };
}

/** The number of scalars in a value of this shape. */
function sizeOf(shape: readonly number[]): number {
  return shape.reduce((size, dim) => size * dim, 1);
}

/**
 * A Box space. A scalar `low` or `high` is repeated over the whole shape; `shape` defaults to
 * `[low.length]`. Bounds are rounded to float32 so that a float64 value inside them still lies
 * inside after it is stored in a `Float32Array` (rounding to float32 never crosses a float32 bound).
 *
 * @example
 * const obs = box([-1.2, -0.07], [0.6, 0.07]); // shape [2]
 */
export function box(
  low: number | readonly number[],
  high: number | readonly number[],
  shape?: readonly number[],
): Box {
  const resolvedShape =
    shape ?? (Array.isArray(low) ? [low.length] : Array.isArray(high) ? [high.length] : [1]);
  if (!resolvedShape.every((dim) => Number.isInteger(dim) && dim > 0)) {
    throw new RangeError(`box(): shape must hold positive integers, got [${resolvedShape.join(', ')}].`);
  }
  const size = sizeOf(resolvedShape);
  const expand = (bound: number | readonly number[], which: string): number[] => {
    const values = typeof bound === 'number' ? new Array<number>(size).fill(bound) : [...bound];
    if (values.length !== size) {
      throw new RangeError(`box(): ${which} has ${values.length} values but shape [${resolvedShape.join(', ')}] needs ${size}.`);
    }
    return values.map((v) => Math.fround(v));
  };
  const lows = expand(low, 'low');
  const highs = expand(high, 'high');
  lows.forEach((lo, i) => {
    const hi = highs[i] ?? Number.NaN;
    if (!(lo <= hi)) throw new RangeError(`box(): low[${i}] = ${lo} must not exceed high[${i}] = ${hi}.`);
  });
  return { type: 'Box', low: lows, high: highs, shape: [...resolvedShape] };
}

/** A standard normal draw (Box–Muller), for unbounded Box dimensions. */
function normal(rng: Rng): number {
  const u = 1 - rng.next(); // in (0, 1], so the log is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** An exponential draw with rate 1, for Box dimensions bounded on one side only. */
function exponential(rng: Rng): number {
  return -Math.log(1 - rng.next());
}

/**
 * A random member of the space, the same way Gymnasium samples: uniform for Discrete and for
 * bounded Box dimensions, normal where a dimension is unbounded both ways, and a shifted
 * exponential where it is bounded on one side.
 *
 * @example
 * const action = sample(env.actionSpace, createRng(0));
 */
export function sample(space: Discrete, rng: Rng): number;
export function sample(space: Box, rng: Rng): Float32Array;
export function sample(space: Space, rng: Rng): number | Float32Array;
export function sample(space: Space, rng: Rng): number | Float32Array {
  switch (space.type) {
    case 'Discrete':
      return rng.int(space.n);
    case 'Box': {
      const out = new Float32Array(space.low.length);
      for (let i = 0; i < out.length; i++) {
        const lo = space.low[i] ?? -Infinity;
        const hi = space.high[i] ?? Infinity;
        const loFinite = Number.isFinite(lo);
        const hiFinite = Number.isFinite(hi);
        out[i] =
          loFinite && hiFinite
            ? rng.uniform(lo, hi)
            : loFinite
              ? lo + exponential(rng)
              : hiFinite
                ? hi - exponential(rng)
                : normal(rng);
      }
      return out;
    }
    default:
      return assertNever(space);
  }
}

/** Whether `value` looks like a flat array of numbers (a plain array or a typed array). */
function isNumberArray(value: unknown): value is ArrayLike<number> {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return typeof (value as unknown as ArrayLike<unknown>)[0] !== 'bigint';
  }
  return Array.isArray(value) && value.every((v) => typeof v === 'number');
}

/**
 * Whether `value` is a member of the space: an integer in 0..n-1 for Discrete; for Box, a flat
 * array of the right length with every entry inside its bounds (NaN never is).
 *
 * @example
 * contains(discrete(2), 1); // true
 * contains(discrete(2), 2); // false
 */
export function contains(space: Space, value: unknown): boolean {
  switch (space.type) {
    case 'Discrete':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < space.n;
    case 'Box': {
      if (!isNumberArray(value) || value.length !== space.low.length) return false;
      for (let i = 0; i < value.length; i++) {
        const v = value[i] ?? Number.NaN;
        if (!(v >= (space.low[i] ?? -Infinity) && v <= (space.high[i] ?? Infinity))) return false;
      }
      return true;
    }
    default:
      return assertNever(space);
  }
}

/** A short human-readable form for error messages, e.g. `Discrete(4)` or `Box(shape=[2])`. */
export function describeSpace(space: Space): string {
  switch (space.type) {
    case 'Discrete':
      return `Discrete(${space.n})`;
    case 'Box':
      return `Box(low=[${space.low.join(', ')}], high=[${space.high.join(', ')}], shape=[${space.shape.join(', ')}])`;
    default:
      return assertNever(space);
  }
}

/** Makes a `switch` over a union exhaustive: adding a member without a case fails to compile. */
function assertNever(value: never): never {
  throw new Error(`Unknown space: ${JSON.stringify(value)}`);
}
