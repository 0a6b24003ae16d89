/**
 * numpy's `nanpercentile` with linear interpolation: NaNs are left out; undefined when nothing is left.
 *
 * @example
 * nanPercentile([1, 2, 3, 4], 75); // 3.25
 */
export function nanPercentile(values: readonly number[], q: number): number | undefined {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const rank = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

/** The median (numpy's: the mean of the middle two for an even count). */
export function median(values: readonly number[]): number | undefined {
  return nanPercentile(values, 50);
}
