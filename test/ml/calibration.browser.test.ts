import { afterAll, describe, expect, it } from 'vitest';
import { backendChoice, clearBackendChoices, currentBackend, loadTf, probeGpus, type GpuProbe } from '../../src/ml/index.ts';
import { startMlWorker } from './fixtures/ml-worker-client.ts';

// This machine has no hardware GPU, so the calibration path is walked by declaring Chromium's
// software WebGL (SwiftShader) to be hardware: it is then initialised and raced against wasm.
// Which one wins is a matter of timing, so the tests check the path and the cache, not the winner.
describe('loadTf() calibration when a GPU looks like hardware', { timeout: 30_000 }, () => {
  const worker = startMlWorker();
  afterAll(async () => {
    worker.terminate();
    await clearBackendChoices();
  });

  const fakeGpus = async (): Promise<GpuProbe> => {
    const real = await probeGpus();
    return { webgpu: { kind: 'absent', description: 'declared absent by the test' }, webgl: { ...real.webgl, kind: 'hardware' } };
  };

  it('times the GPU against wasm, keeps the faster and says why', async () => {
    await clearBackendChoices();
    await loadTf({ gpus: await fakeGpus() });
    const choice = backendChoice();
    expect(choice?.reason).toMatch(/^calibrated: /);
    expect(Object.keys(choice?.timings ?? {}).sort()).toEqual(['wasm', 'webgl']);
    expect(['wasm', 'webgl']).toContain(choice?.backend);
    expect(currentBackend()).toBe(choice?.backend);
  });

  it('lets a later realm reuse the verdict from IndexedDB instead of calibrating again', async () => {
    const reply = (await worker.call({ type: 'backend', options: { gpus: await fakeGpus() } })) as {
      backend: string;
      reason: string;
      timings: Record<string, number>;
    };
    expect(reply.reason).toBe('calibrated earlier in this browser');
    expect(reply.backend).toBe(backendChoice()?.backend);
    expect(reply.timings).toEqual(backendChoice()?.timings);
  });
});
