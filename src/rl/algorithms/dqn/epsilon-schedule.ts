/**
 * A piecewise-linear schedule (RLlib's PiecewiseSchedule): `points` are `[t, value]` with
 * increasing `t`; the value is interpolated between points and held constant outside them.
 *
 * @example
 * piecewiseLinear([[0, 1], [10000, 0.05]], 5000); // 0.525
 */
export function piecewiseLinear(points: readonly (readonly [number, number])[], t: number): number {
  const first = points[0];
  if (!first) throw new RangeError('piecewiseLinear needs at least one point.');
  if (t <= first[0]) return first[1];
  for (let i = 1; i < points.length; i++) {
    const [t1, v1] = points[i] as readonly [number, number];
    if (t < t1) {
      const [t0, v0] = points[i - 1] as readonly [number, number];
      return v0 + ((t - t0) / (t1 - t0)) * (v1 - v0);
    }
  }
  return (points[points.length - 1] as readonly [number, number])[1];
}
