import { describe, expect, it } from 'vitest';
import { classifyWebGlRenderer, classifyWebGpuAdapter } from '../../src/ml/gpu-verdict.ts';

const adapter = { isFallbackAdapter: false, vendor: '', architecture: '', device: '', description: '' };

describe('classifyWebGpuAdapter', () => {
  it('calls a real vendor hardware', () => {
    expect(classifyWebGpuAdapter({ ...adapter, vendor: 'nvidia', architecture: 'ampere' }).kind).toBe('hardware');
    expect(classifyWebGpuAdapter({ ...adapter, vendor: 'apple', architecture: 'metal-3' }).kind).toBe('hardware');
  });

  it('calls fallback adapters software', () => {
    expect(classifyWebGpuAdapter({ ...adapter, isFallbackAdapter: true, vendor: 'intel' }).kind).toBe('software');
  });

  it("calls SwiftShader (vendor 'google', architecture 'swiftshader') software", () => {
    expect(classifyWebGpuAdapter({ ...adapter, vendor: 'google', architecture: 'swiftshader' }).kind).toBe('software');
    expect(classifyWebGpuAdapter({ ...adapter, vendor: 'google' }).kind).toBe('software');
    expect(classifyWebGpuAdapter({ ...adapter, vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.7, 256 bits)' }).kind).toBe('software');
  });

  it('describes the adapter for logs', () => {
    expect(classifyWebGpuAdapter({ ...adapter, vendor: 'amd', architecture: 'rdna-3' }).description).toBe('amd / rdna-3');
  });
});

describe('classifyWebGlRenderer', () => {
  it('calls a named GPU hardware', () => {
    const renderer = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002503) Direct3D11 vs_5_0 ps_5_0, D3D11)';
    expect(classifyWebGlRenderer({ renderer, fastContext: true }).kind).toBe('hardware');
  });

  it('calls SwiftShader, llvmpipe and WARP software', () => {
    for (const renderer of [
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      'llvmpipe (LLVM 15.0.6, 256 bits)',
      'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'Google SwiftShader',
    ]) {
      expect(classifyWebGlRenderer({ renderer, fastContext: true }).kind, renderer).toBe('software');
    }
  });

  it('believes the browser when it refuses a context without a major performance caveat', () => {
    expect(classifyWebGlRenderer({ renderer: 'Some GPU', fastContext: false }).kind).toBe('software');
  });

  it('calls a masked renderer unknown, so that calibration decides', () => {
    expect(classifyWebGlRenderer({ renderer: 'WebKit WebGL', fastContext: true }).kind).toBe('unknown');
  });
});
