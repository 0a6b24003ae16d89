import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { JsMlp } from '../../../src/rl/models/js-mlp.ts';
import { buildMlp } from '../../../src/rl/models/tf-mlp.ts';
import type { Activation, MlpShape } from '../../../src/rl/models/model-config.ts';
import type { Tf } from '../../../src/ml/index.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Weights as `ml.getWeights` lays them out, read synchronously (cpu backend). */
function weightsOf(model: tf.Sequential) {
  return model.getWeights().map((w) => ({ shape: w.shape, data: w.dataSync() as Float32Array }));
}

describe('JsMlp.forward', () => {
  it.each<Activation>(['tanh', 'relu', 'linear'])('matches the TensorFlow.js model buildMlp builds (%s)', (activation) => {
    const shape: MlpShape = { inputs: 4, hiddens: [16, 8], outputs: 3, activation };
    const model = buildMlp(tf as unknown as Tf, shape, { seed: 3 });
    // Random biases too, so a layout mistake in them would show.
    model.setWeights(model.getWeights().map((w, i) => (i % 2 === 1 ? tf.randomNormal(w.shape, 0, 0.5, 'float32', i) : w)));
    const input = tf.randomNormal([5, 4], 0, 1, 'float32', 9);
    const expected = (model.predict(input) as tf.Tensor).dataSync();
    const actual = new JsMlp(shape, weightsOf(model)).forward(input.dataSync() as Float32Array, 5);
    expect(actual.length).toBe(15);
    actual.forEach((value, i) => expect(value).toBeCloseTo(expected[i] as number, 5));
  });

  it('scales the output layer by outputScale, so a policy starts near uniform', () => {
    const shape: MlpShape = { inputs: 4, hiddens: [64, 64], outputs: 2, activation: 'tanh' };
    const kernel = (scale: number) => buildMlp(tf as unknown as Tf, shape, { seed: 1, outputScale: scale }).getWeights()[4]!.dataSync();
    const full = Math.max(...Array.from(kernel(1)).map(Math.abs));
    const small = Math.max(...Array.from(kernel(0.01)).map(Math.abs));
    expect(small).toBeLessThan(full * 0.02);
  });

  it('refuses weights of the wrong shape, naming the layer', () => {
    const shape: MlpShape = { inputs: 4, hiddens: [8], outputs: 2, activation: 'tanh' };
    const weights = [
      { shape: [4, 8], data: new Float32Array(32) },
      { shape: [8], data: new Float32Array(8) },
      { shape: [8, 3], data: new Float32Array(24) },
      { shape: [3], data: new Float32Array(3) },
    ];
    expect(() => new JsMlp(shape, weights)).toThrow(/layer 1 should have kernel \[8, 2\] and bias \[2\], got \[8, 3\] and \[3\]/);
  });
});
