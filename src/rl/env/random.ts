/**
 * The random source every environment draws from. It is an interface rather than a function so
 * tests and algorithms can inject their own (a seeded one, or one that replays fixed numbers),
 * which keeps episodes reproducible without patching `Math.random`.
 */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** A float in [lo, hi); `lo` when the range is empty. */
  uniform(lo: number, hi: number): number;
  /** An integer in 0..n-1; `n` must be a positive integer. */
  int(n: number): number;
}

const TWO_POW_32 = 2 ** 32;

/**
 * Splits a seed into four 32-bit words with splitmix32, so nearby seeds (0, 1, 2…) start sfc32
 * from unrelated states. Both halves of a seed above 2^32 take part, so they stay distinct.
 */
function seedWords(seed: number): [number, number, number, number] {
  let state = (seed >>> 0) ^ Math.imul(Math.floor(seed / TWO_POW_32) >>> 0, 0x9e3779b9);
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    words.push((z ^ (z >>> 16)) >>> 0);
  }
  return words as [number, number, number, number];
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Chaotic generator): 128 bits of state, 32-bit output,
 * tiny and fast, and good enough for environment resets. Not for cryptography.
 */
class Sfc32 implements Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    [this.#a, this.#b, this.#c, this.#d] = seedWords(seed);
    // The first outputs of sfc32 still show the seed's structure; discard them.
    for (let i = 0; i < 12; i++) this.#nextUint32();
  }

  #nextUint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  next(): number {
    return this.#nextUint32() / TWO_POW_32;
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) {
      throw new RangeError(`Rng.int(n) needs a positive integer n, got ${String(n)}.`);
    }
    return Math.floor(this.next() * n);
  }
}

/** A fresh seed from `Math.random`, used only when the caller gives none. */
export function randomSeed(): number {
  return Math.floor(Math.random() * Number.MAX_SAFE_INTEGER);
}

/**
 * A seeded generator. The same seed always gives the same sequence, on every platform; with no
 * seed it seeds itself from `Math.random` (so runs differ, as with Gymnasium's unseeded reset).
 *
 * @example
 * const rng = createRng(42);
 * rng.uniform(-0.05, 0.05); // the same number on every run
 */
export function createRng(seed: number = randomSeed()): Rng {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`A seed must be a safe integer, got ${String(seed)}; pass e.g. reset({ seed: 42 }).`);
  }
  return new Sfc32(seed);
}
