import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { get, init, ml, nodes, put, remote, shutdown, wait } from '../../src/index.ts';

declare const raybox: typeof import('../../src/index.ts');

beforeAll(async () => {
  await init({ numWorkers: 1 });
  await ml.loadTf({ backend: 'cpu' });
});
afterAll(async () => {
  await shutdown();
});

describe('TensorFlow.js in tasks and actors', () => {
  it('reports the workers backend in nodes()', () => {
    expect(nodes()[0]?.backend).toBe('wasm');
  });

  it('gives tasks a global tf on the best backend, equal to the cpu result', async () => {
    const matmul = remote(async (n: number) => {
      const a = tf.range(0, n * n).reshape([n, n]).div(n * n);
      const product = tf.matMul(a, a);
      return { backend: tf.getBackend(), values: Array.from(await product.data()) };
    });
    const out = await get(matmul.remote(32));
    expect(out.backend).toBe('wasm');
    const a = tf.range(0, 32 * 32).reshape([32, 32]).div(32 * 32);
    const expected = Array.from(tf.matMul(a, a).dataSync());
    out.values.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 3));
  });

  it('round-trips tensors through put/get, task arguments and actor methods', async () => {
    const t = tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32');
    const back = (await get(put(t))) as tf.Tensor;
    expect(back.shape).toEqual([2, 3]);
    expect(back.dtype).toBe('int32');
    const double = remote((x: tf.Tensor) => x.add(x));
    const doubled = (await get(double.remote(t))) as tf.Tensor;
    expect(doubled.shape).toEqual([2, 3]);
    expect(doubled.dtype).toBe('int32');
    expect(Array.from(doubled.dataSync())).toEqual([2, 4, 6, 8, 10, 12]);
    class Keeper {
      kept: tf.Tensor | null = null;
      keep(x: tf.Tensor) {
        this.kept = tf.keep(x.add(1));
        return this.kept.shape;
      }
      read() {
        return this.kept;
      }
    }
    const keeper = remote(Keeper).remote();
    expect(await get(keeper.keep.remote(tf.tensor1d([1, 2, 3], 'float32')))).toEqual([3]);
    const kept = (await get(keeper.read.remote())) as tf.Tensor;
    expect(Array.from(kept.dataSync())).toEqual([2, 3, 4]);
  });

  it('disposes tensors a task made and did not return: the worker count stays flat over 100 tasks', async () => {
    const churn = remote((n: number) => {
      const a = tf.ones([n, n]);
      const b = a.mul(3).add(1);
      b.sum();
      return tf.memory().numTensors;
    });
    const counts = await get(Array.from({ length: 100 }, () => churn.remote(8)));
    expect(counts[99]).toBe(counts[0]);
  });

  it('copies weights from one actor model to another, giving the same predictions', async () => {
    class Net {
      model: tf.Sequential;
      constructor(seed: number) {
        this.model = tf.sequential({
          layers: [
            tf.layers.dense({ units: 8, inputShape: [4], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
            tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
          ],
        });
      }
      async weights() {
        return raybox.ml.getWeights(this.model);
      }
      setWeights(weights: Awaited<ReturnType<typeof ml.getWeights>>) {
        raybox.ml.setWeights(this.model, weights);
      }
      predict(x: number[][]) {
        return Array.from((this.model.predict(tf.tensor2d(x)) as tf.Tensor).dataSync());
      }
    }
    const a = remote(Net).remote(1);
    const b = remote(Net).remote(7);
    const x = [[0.1, 0.2, 0.3, 0.4], [1, -1, 0.5, 2]];
    const [pa, pbBefore] = await get([a.predict.remote(x), b.predict.remote(x)]);
    expect(pbBefore).not.toEqual(pa);
    await get(b.setWeights.remote(a.weights.remote()));
    expect(await get(b.predict.remote(x))).toEqual(pa);
  });

  it('keeps a numGpus: 1 task waiting on a node without WebGPU, and wait() says not ready', async () => {
    const gpuTask = remote(() => 'ran').options({ numGpus: 1 });
    const ref = gpuTask.remote();
    const { ready, notReady } = await wait([ref], { timeout: 0.3 });
    expect(ready).toEqual([]);
    expect(notReady).toEqual([ref]);
  });
});
