import { describe, expect, it } from 'vitest';
import { piecewiseLinear } from '../../../src/rl/algorithms/dqn/epsilon-schedule.ts';

describe('piecewiseLinear', () => {
  it('interpolates between points and holds the ends', () => {
    const schedule: [number, number][] = [[0, 1], [100, 0.1], [200, 0.01]];
    expect(piecewiseLinear(schedule, -5)).toBe(1);
    expect(piecewiseLinear(schedule, 0)).toBe(1);
    expect(piecewiseLinear(schedule, 50)).toBeCloseTo(0.55);
    expect(piecewiseLinear(schedule, 100)).toBeCloseTo(0.1);
    expect(piecewiseLinear(schedule, 150)).toBeCloseTo(0.055);
    expect(piecewiseLinear(schedule, 1e9)).toBe(0.01);
  });
});
