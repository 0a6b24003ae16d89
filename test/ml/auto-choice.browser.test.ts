import { afterAll, describe, expect, it } from 'vitest';
import { backendChoice, BackendUnavailableError, currentBackend, loadTf, ml, probeGpus } from '../../src/ml/index.ts';
import { startMlWorker } from './fixtures/ml-worker-client.ts';

// This machine has no GPU: Chromium offers SwiftShader at most, which must lose to wasm.
// Worker start-up and first backend initialisation take seconds on a busy 2-core machine.
describe('loadTf() automatic choice', { timeout: 30_000 }, () => {
  const worker = startMlWorker();
  afterAll(() => worker.terminate());

  it('sees no hardware GPU here', async () => {
    const gpus = await probeGpus();
    expect(gpus.webgpu.kind).not.toBe('hardware');
    expect(gpus.webgl.kind).not.toBe('hardware');
  });

  it('picks wasm on the main thread', async () => {
    await loadTf();
    expect(backendChoice()?.reason).toMatch(/^no hardware GPU .*wasm initialised/);
    expect(currentBackend()).toBe('wasm');
    expect(await ml.backend()).toBe('wasm');
  });

  it('picks wasm inside a module worker', async () => {
    const reply = (await worker.call({ type: 'backend' })) as { backend: string; reason: string; crossOriginIsolated: boolean };
    expect(reply.backend).toBe('wasm');
    expect(reply.reason).toMatch(/^no hardware GPU .*wasm initialised/);
  });

  it('turns a backend initialisation that does not finish in time into BackendUnavailableError', async () => {
    const fresh = startMlWorker();
    try {
      const error = await fresh.call({ type: 'force', backend: 'wasm', initTimeoutMs: 1 }).catch((e: unknown) => e);
      expect((error as Error).name).toBe('BackendUnavailableError');
      expect((error as Error).message).toMatch(/did not finish within 1 ms/);
      expect((error as BackendUnavailableError & { details: { available: string[] } }).details.available).toContain('cpu');
      // The abandoned initialisation does not poison the realm: the automatic choice still gets wasm.
      const reply = (await fresh.call({ type: 'backend' })) as { backend: string };
      expect(reply.backend).toBe('wasm');
    } finally {
      fresh.terminate();
    }
  });
});
