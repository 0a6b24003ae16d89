import { describe, expect, it } from 'vitest';
import { choiceKey, gpuCandidates, median, pickFastest } from '../../src/ml/backend-choice.ts';
import type { GpuProbe } from '../../src/ml/gpu-probe.ts';

const absent = { kind: 'absent', description: 'none' } as const;
const probe = (webgpu: GpuProbe['webgpu'], webgl: GpuProbe['webgl']): GpuProbe => ({ webgpu, webgl });

describe('gpuCandidates', () => {
  it('offers no GPU backend when the GPUs are software (this machine: SwiftShader)', () => {
    const software = { kind: 'software', description: 'SwiftShader' } as const;
    expect(gpuCandidates(probe(software, software))).toEqual([]);
    expect(gpuCandidates(probe(absent, software))).toEqual([]);
  });

  it('puts hardware WebGPU before hardware WebGL', () => {
    const hardware = { kind: 'hardware', description: 'nvidia' } as const;
    expect(gpuCandidates(probe(hardware, hardware))).toEqual(['webgpu', 'webgl']);
  });

  it('lets a masked WebGL renderer take part, for calibration to judge', () => {
    expect(gpuCandidates(probe(absent, { kind: 'unknown', description: 'WebKit WebGL' }))).toEqual(['webgl']);
  });
});

describe('pickFastest', () => {
  it('picks the lowest median', () => {
    expect(pickFastest({ webgl: 4, wasm: 20 })).toBe('webgl');
    expect(pickFastest({ webgpu: 40, wasm: 20 })).toBe('wasm');
  });

  it('gives a near tie to the CPU side', () => {
    expect(pickFastest({ webgl: 19.5, wasm: 20 })).toBe('wasm');
  });

  it('ignores backends without a finite timing', () => {
    expect(pickFastest({ webgpu: Number.NaN, wasm: 20 })).toBe('wasm');
    expect(pickFastest({})).toBeUndefined();
  });
});

describe('choiceKey', () => {
  it('changes with the GPU, the browser and isolation', () => {
    const context = { userAgent: 'Chrome/156', crossOriginIsolated: true, hardwareConcurrency: 8 };
    const gpus = probe({ kind: 'hardware', description: 'nvidia' }, absent);
    const key = choiceKey(gpus, context);
    expect(choiceKey(gpus, context)).toBe(key);
    expect(choiceKey(probe({ kind: 'hardware', description: 'amd' }, absent), context)).not.toBe(key);
    expect(choiceKey(gpus, { ...context, userAgent: 'Chrome/157' })).not.toBe(key);
    expect(choiceKey(gpus, { ...context, crossOriginIsolated: false })).not.toBe(key);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
