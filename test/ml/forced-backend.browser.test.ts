import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { get, init, ml, nodes, remote, shutdown } from '../../src/index.ts';

afterEach(async () => {
  await shutdown();
});

/** The same matmul everywhere: values from a fixed formula, so every realm builds identical inputs. */
const matmul = remote(async (n: number) => {
  const a = tf.tensor2d(Array.from({ length: n * n }, (_, i) => ((i * 7) % 13) / 13 - 0.5), [n, n]);
  const product = tf.matMul(a, a.transpose());
  return { backend: tf.getBackend(), values: Array.from(await product.data()) };
});

async function cpuReference(n: number): Promise<number[]> {
  await ml.loadTf({ backend: 'cpu' });
  const a = tf.tensor2d(Array.from({ length: n * n }, (_, i) => ((i * 7) % 13) / 13 - 0.5), [n, n]);
  return Array.from(tf.matMul(a, a.transpose()).dataSync());
}

describe('a backend forced for a run with init({ tfBackend })', () => {
  for (const backend of ['wasm', 'cpu', 'webgl'] as const) {
    it(`runs tasks on ${backend}, reports it in nodes(), and matches the cpu result`, { timeout: 30_000 }, async () => {
      await init({ numWorkers: 1, tfBackend: backend });
      expect(nodes()[0]?.backend).toBe(backend);
      const out = await get(matmul.remote(48));
      expect(out.backend).toBe(backend);
      const expected = await cpuReference(48);
      out.values.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 3));
    });
  }

  it('fails the tasks that use tf when the forced backend cannot start here', { timeout: 30_000 }, async () => {
    await init({ numWorkers: 1, tfBackend: 'webgpu' });
    await expect(get(matmul.remote(4))).rejects.toThrow(/BackendUnavailableError|webgpu/);
  });
});
