import { beforeAll, describe, expect, it } from 'vitest';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { getWeights, loadTf, setWeights, WeightsMismatchError, weightsTransferList, type Tf } from '../../src/ml/index.ts';
import { maxAbsDiff, seededFloats } from './fixtures/values.ts';

describe('getWeights / setWeights', () => {
  let tf: Tf;
  beforeAll(async () => {
    tf = await loadTf();
  });

  const dense = (hidden = 8): LayersModel => {
    const model = tf.sequential();
    model.add(tf.layers.dense({ inputShape: [4], units: hidden, activation: 'relu' }));
    model.add(tf.layers.dense({ units: 2 }));
    return model;
  };
  const predict = (model: LayersModel): Float32Array =>
    tf.tidy(() => (model.predict(tf.tensor2d(seededFloats(20, 3), [5, 4])) as Tensor).dataSync() as Float32Array);

  it('returns plain data: name, shape, dtype and a private Float32Array per variable', async () => {
    const model = dense();
    const weights = await getWeights(model);
    expect(weights.map((w) => w.shape)).toEqual([[4, 8], [8], [8, 2], [2]]);
    expect(weights.map((w) => w.name)).toEqual(model.weights.map((v) => v.name));
    for (const w of weights) {
      expect(w.dtype).toBe('float32');
      expect(w.data).toBeInstanceOf(Float32Array);
      expect(w.data.length).toBe(w.shape.reduce((p, d) => p * d, 1));
    }
    // Transferring the buffers takes nothing from the model.
    const before = predict(model);
    new MessageChannel().port1.postMessage(weights, weightsTransferList(weights));
    expect(weights[0]!.data.length).toBe(0);
    expect(predict(model)).toEqual(before);
    model.dispose();
  });

  it('makes a second model predict exactly like the first', async () => {
    const source = dense();
    const target = dense();
    expect(maxAbsDiff(predict(source), predict(target))).toBeGreaterThan(1e-3);
    setWeights(target, await getWeights(source));
    expect(predict(target)).toEqual(predict(source));
    source.dispose();
    target.dispose();
  });

  it('copies the weights in, so changing them later does not reach the model', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await loadTf({ backend });
      const source = dense();
      const target = dense();
      const weights = await getWeights(source);
      setWeights(target, weights);
      const before = predict(target);
      for (const w of weights) w.data.fill(0);
      expect(predict(target)).toEqual(before);
      source.dispose();
      target.dispose();
    }
  });

  it('throws WeightsMismatchError naming the weight and both shapes, and changes nothing', async () => {
    const source = dense(8);
    const target = dense(6);
    const before = predict(target);
    let error: unknown;
    try {
      setWeights(target, await getWeights(source));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WeightsMismatchError);
    const mismatch = error as WeightsMismatchError;
    expect(mismatch.layer).toBe(target.weights[0]!.name);
    expect(mismatch.expected).toEqual([4, 6]);
    expect(mismatch.actual).toEqual([4, 8]);
    expect(mismatch.message).toContain(`'${target.weights[0]!.name}'`);
    expect(mismatch.message).toContain('[4, 6]');
    expect(mismatch.message).toContain('[4, 8]');
    expect(predict(target)).toEqual(before);
    source.dispose();
    target.dispose();
  });

  it('throws WeightsMismatchError when the number of weights differs', async () => {
    const model = dense();
    const weights = await getWeights(model);
    expect(() => setWeights(model, weights.slice(1))).toThrow(WeightsMismatchError);
    expect(() => setWeights(model, weights.slice(1))).toThrow(/has 4 weights but 3 were given/);
    model.dispose();
  });
});
