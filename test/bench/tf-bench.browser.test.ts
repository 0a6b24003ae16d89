import { describe, expect, it } from 'vitest';
import { runTfBench } from './tf-bench.page.ts';

// A smoke test of the benchmark's plumbing at toy sizes: the shape of the result, never its times.
// Worker start-up and first backend initialisation take seconds on a busy 2-core machine.
describe('runTfBench', { timeout: 30_000 }, () => {
  it('returns a figure per realm × backend, and an error entry for a backend that is not here', async () => {
    const result = await runTfBench({ backends: ['wasm', 'webgpu'], sizes: [16], minRuns: 1, maxRuns: 1, budgetMs: 0 });
    expect(result.entries.map((e) => `${e.realm}/${e.backend}`)).toEqual(['main/wasm', 'main/webgpu', 'worker/wasm', 'worker/webgpu']);
    for (const entry of result.entries.filter((e) => e.backend === 'wasm')) {
      expect(entry.error).toBeUndefined();
      expect(entry.matmulMs['16']).toBeGreaterThanOrEqual(0);
      expect(entry.trainStepMs).toBeGreaterThanOrEqual(0);
      expect(entry.runs).toEqual({ '16': 1, train: 1 });
    }
    for (const entry of result.entries.filter((e) => e.backend === 'webgpu')) {
      // No WebGPU adapter in headless Chromium here; where there is one, it is measured.
      if (entry.error === undefined) expect(entry.matmulMs['16']).toBeGreaterThanOrEqual(0);
      else expect(entry.error).toMatch(/webgpu/);
    }
    expect(result.environment.automatic).toEqual({
      main: expect.objectContaining({ backend: expect.any(String) }),
      worker: expect.objectContaining({ backend: expect.any(String) }),
    });
  });
});
