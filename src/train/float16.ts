/**
 * float32 ⇄ float16 (IEEE 754 binary16) bit patterns, for gradients sent at half the bytes.
 * Browsers with `Float16Array` (Chromium 135+, Firefox 129+) convert natively; the fallback below is
 * the usual bit manipulation, a dozen lines, so no package (the maintained one, @petamoriken/float16,
 * is a full Float16Array polyfill, far more than these two conversions).
 */

interface Float16ArrayLike {
  readonly buffer: ArrayBufferLike;
  readonly length: number;
}
type Float16Ctor = new (source: ArrayLike<number> | ArrayBufferLike, offset?: number, length?: number) => Float16ArrayLike & ArrayLike<number>;

const Native = (globalThis as { Float16Array?: Float16Ctor }).Float16Array;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The binary16 bits of `value`, rounded to nearest even. */
function toHalfBits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf, NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow → Inf
  if (e <= 0) {
    if (e < -10) return sign; // underflow → ±0
    mant |= 0x800000; // subnormal: shift the implicit bit in
    const shift = 14 - e;
    const half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && (half & 1)) ? 1 : 0));
  }
  const half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // Round to nearest even; a carry into the exponent is still the right pattern.
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && (half & 1)) ? 1 : 0));
}

function fromHalfBits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** `values` as binary16 bit patterns. */
export function encodeFloat16(values: Float32Array): Uint16Array {
  if (Native) return new Uint16Array(new Native(values).buffer);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = toHalfBits(values[i]!);
  return out;
}

/** The float32 values of binary16 bit patterns. */
export function decodeFloat16(bits: Uint16Array): Float32Array {
  if (Native) return new Float32Array(new Native(bits.buffer, bits.byteOffset, bits.length));
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = fromHalfBits(bits[i]!);
  return out;
}

/** The fallback conversions, exported for their unit test. */
export const float16Bits = { toHalfBits, fromHalfBits };
