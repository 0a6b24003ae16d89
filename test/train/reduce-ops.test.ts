/** Reductions and option checks of raybox.train, without workers. */
import { describe, expect, it } from 'vitest';
import { reduceLeaves } from '../../src/train/reduce-ops.ts';
import { resolveOptions } from '../../src/train/trainer-options.ts';
import type { NodeInfo } from '../../src/core/events.ts';

const node = (cpus: number, label: string): NodeInfo => ({ nodeId: label, alive: true, isLocal: true, resources: { CPU: cpus }, backend: null, label, numWorkers: cpus });

describe('reduceLeaves', () => {
  it('sums, averages and takes the maximum leaf by leaf, keeping each leaf type', () => {
    const sum = reduceLeaves([[new Float32Array([1, 2]), new Int32Array([3])], [new Float32Array([10, 20]), new Int32Array([4])]], 'sum');
    expect(Array.from(sum[0]!)).toEqual([11, 22]);
    expect(sum[1]).toBeInstanceOf(Int32Array);
    expect(Array.from(sum[1]!)).toEqual([7]);
    expect(Array.from(reduceLeaves([[new Float64Array([1, 5])], [new Float64Array([3, 1])]], 'mean')[0]!)).toEqual([2, 3]);
    expect(Array.from(reduceLeaves([[new Float32Array([1, 5])], [new Float32Array([3, 1])]], 'max')[0]!)).toEqual([3, 5]);
  });

  it('refuses contributions of different shapes, naming both', () => {
    expect(() => reduceLeaves([[new Float32Array(2)], [new Float32Array(3)]], 'sum')).toThrow(/lengths \[3\] but worker 0 gave 1 of lengths \[2\]/);
  });
});

describe('resolveOptions', () => {
  const loop = () => undefined;
  it('fills in defaults', () => {
    expect(resolveOptions(loop, {}, [node(2, 'page')])).toMatchObject({ numWorkers: 1, resources: { CPU: 1 }, maxFailures: 0, name: 'train' });
  });
  it('counts what the nodes could hold node by node, and says what there is', () => {
    const nodes = [node(1, 'page'), node(1.5, 'peer')];
    expect(resolveOptions(loop, { scalingConfig: { numWorkers: 2 } }, nodes).numWorkers).toBe(2);
    expect(() => resolveOptions(loop, { scalingConfig: { numWorkers: 3 } }, nodes)).toThrow(/at most 2 \(page: 1 CPU; peer: 1.5 CPU\)/);
    expect(() => resolveOptions(loop, { scalingConfig: { numWorkers: 1, useGpu: true } }, nodes)).toThrow(/at most 0/);
  });
  it('refuses bad values before any worker starts', () => {
    expect(() => resolveOptions(loop, { scalingConfig: { numWorkers: 0 } }, null)).toThrow(/at least 1/);
    expect(() => resolveOptions(loop, { scalingConfig: { numWorkers: 1.5 } }, null)).toThrow(/whole number/);
    expect(() => resolveOptions('loop', {}, null)).toThrow(/trainLoopPerWorker/);
    expect(() => resolveOptions(loop, { runConfig: { failureConfig: { maxFailures: -2 } } }, null)).toThrow(/maxFailures/);
    expect(() => resolveOptions(loop, { datasets: { train: [1, 2] as never } }, null)).toThrow(/datasets.train is not a raybox.data Dataset/);
    expect(() => resolveOptions(loop, { scalingConfg: {} } as never, null)).toThrow(/Unknown trainer option 'scalingConfg'/);
  });
});
