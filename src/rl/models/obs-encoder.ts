import type { Observation, Space } from '../env/index.ts';

/**
 * Turns observations into the flat float vectors a network reads: a Discrete observation becomes
 * a one-hot vector (the maze's cell 7 of 25 lights input 7), a Box observation is copied as is
 * (flattened in row-major order). The same encoder runs in env runners and in the learner, so
 * both always see identical inputs.
 */
export interface ObsEncoder {
  /** Floats per observation. */
  readonly size: number;
  /** Writes `obs` into `out` at `offset` (`size` floats). */
  encode(obs: Observation, out: Float32Array, offset: number): void;
}

/**
 * The encoder for an observation space.
 *
 * @example
 * const encoder = obsEncoder({ type: 'Discrete', n: 25 });
 * const x = new Float32Array(encoder.size);
 * encoder.encode(7, x, 0); // x[7] === 1
 */
export function obsEncoder(space: Space): ObsEncoder {
  switch (space.type) {
    case 'Discrete': {
      const n = space.n;
      return {
        size: n,
        encode(obs, out, offset) {
          out.fill(0, offset, offset + n);
          const index = typeof obs === 'number' ? obs : (obs[0] ?? 0);
          if (!(Number.isInteger(index) && index >= 0 && index < n)) {
            throw new RangeError(`Observation ${String(index)} is outside Discrete(${n}); the env returned an observation its observationSpace does not allow.`);
          }
          out[offset + index] = 1;
        },
      };
    }
    case 'Box': {
      const size = space.shape.reduce((product, d) => product * d, 1);
      return {
        size,
        encode(obs, out, offset) {
          if (typeof obs === 'number') {
            out[offset] = obs;
            return;
          }
          if (obs.length !== size) {
            throw new RangeError(`Observation has ${obs.length} values but the Box observation space has ${size}; the env must return observations of its declared shape.`);
          }
          out.set(obs, offset);
        },
      };
    }
    default:
      return assertNever(space);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unknown space: ${JSON.stringify(value)}`);
}
