import { beforeAll, describe, expect, it } from 'vitest';
import {
  availableBackends,
  backendChoice,
  BackendUnavailableError,
  currentBackend,
  loadTf,
  type BackendName,
  type Tf,
} from '../../src/ml/index.ts';
import { maxAbsDiff, seededFloats } from './fixtures/values.ts';

const N = 64;
const a = seededFloats(N * N, 1);
const b = seededFloats(N * N, 2);

async function matmulOn(backend: BackendName): Promise<Float32Array> {
  const tf = await loadTf({ backend });
  expect(currentBackend()).toBe(backend);
  return tf.tidy(() => tf.matMul(tf.tensor2d(a, [N, N]), tf.tensor2d(b, [N, N])).dataSync() as Float32Array);
}

// Worker start-up and first backend initialisation take seconds on a busy 2-core machine.
describe('loadTf({ backend })', { timeout: 30_000 }, () => {
  let cpu: Float32Array;
  beforeAll(async () => {
    cpu = await matmulOn('cpu');
  });

  it('cpu: a 64×64 matmul equals the product computed in plain JavaScript', () => {
    const reference = new Float32Array(N * N);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        let sum = 0;
        for (let k = 0; k < N; k++) sum += a[i * N + k]! * b[k * N + j]!;
        reference[i * N + j] = sum;
      }
    }
    expect(maxAbsDiff(cpu, reference)).toBeLessThan(1e-4);
  });

  it.each(['wasm', 'webgl'] as const)('%s: a 64×64 matmul equals the cpu result', async (backend) => {
    expect(maxAbsDiff(await matmulOn(backend), cpu)).toBeLessThan(1e-3);
    expect(backendChoice()?.reason).toBe('forced by options.backend');
  });

  it('webgpu: equals the cpu result where it initialises, else throws BackendUnavailableError', async () => {
    const before = currentBackend();
    const available = await availableBackends();
    let result: Float32Array | undefined;
    try {
      result = await matmulOn('webgpu');
    } catch (error) {
      // No adapter here (headless Chromium without a GPU): the error says what else there is.
      expect(error).toBeInstanceOf(BackendUnavailableError);
      const unavailable = error as BackendUnavailableError;
      expect(unavailable.name).toBe('BackendUnavailableError');
      expect(unavailable.backend).toBe('webgpu');
      expect(unavailable.available).toEqual(available.filter((name) => name !== 'webgpu'));
      expect(unavailable.available).toContain('wasm');
      expect(unavailable.message).toMatch(/Backends available here: .*wasm.*cpu/);
      expect(unavailable.details()).toMatchObject({ backend: 'webgpu' });
      // A failed force leaves the realm on the backend it had.
      expect(currentBackend()).toBe(before);
    }
    if (result) expect(maxAbsDiff(result, cpu)).toBeLessThan(1e-3);
  });

  it('returns the same tf namespace every time', async () => {
    const first: Tf = await loadTf({ backend: 'cpu' });
    expect(await loadTf()).toBe(first);
  });
});
