import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { deleteModel, listModels, loadModel, loadTf, ModelNotFoundError, saveModel, type Tf } from '../../src/ml/index.ts';
import { seededFloats } from './fixtures/values.ts';

const NAME = 'raybox-test-model-store';

describe('saveModel / loadModel (IndexedDB)', () => {
  let tf: Tf;
  beforeAll(async () => {
    tf = await loadTf();
    if ((await listModels()).includes(NAME)) await deleteModel(NAME);
  });
  afterAll(async () => {
    if ((await listModels()).includes(NAME)) await deleteModel(NAME);
  });

  const predict = (model: LayersModel): number[] =>
    tf.tidy(() => Array.from((model.predict(tf.tensor2d(seededFloats(12, 9), [3, 4])) as Tensor).dataSync()));

  it('saves a model and loads one that predicts the same', async () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [4], units: 5, activation: 'tanh' }), tf.layers.dense({ units: 3 })],
    });
    const info = await saveModel(model, NAME);
    expect(info.name).toBe(NAME);
    expect(info.bytes).toBeGreaterThan((4 * 5 + 5 + 5 * 3 + 3) * 4 - 1);
    expect(await listModels()).toContain(NAME);
    const loaded = await loadModel(NAME);
    expect(predict(loaded)).toEqual(predict(model));
    model.dispose();
    loaded.dispose();
  });

  it('throws ModelNotFoundError naming the model and what is saved', async () => {
    const error = await loadModel('raybox-test-no-such-model').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect((error as ModelNotFoundError).modelName).toBe('raybox-test-no-such-model');
    expect((error as Error).message).toMatch(/No model named 'raybox-test-no-such-model'.*ml\.saveModel/s);
  });

  it('deletes a saved model', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1 })] });
    await saveModel(model, NAME);
    await deleteModel(NAME);
    expect(await listModels()).not.toContain(NAME);
    await expect(deleteModel(NAME)).rejects.toBeInstanceOf(ModelNotFoundError);
    model.dispose();
  });
});
