import type { MlpShape } from './model-config.ts';
import { layerSizes } from './model-config.ts';

/** What a runner needs of a weight: its values and shape (`ml.getWeights` entries qualify). */
export interface WeightData {
  shape: readonly number[];
  data: Float32Array | Int32Array;
}

/**
 * A TensorFlow.js dense network evaluated in plain JavaScript, for env runners. A runner asks
 * its policy for actions once per env step; for networks this small (CartPole's 64×64 is about
 * 9k multiply-adds per observation) a TensorFlow.js call costs far more in dispatch than in
 * arithmetic, and loading TensorFlow.js in every runner worker costs seconds. The learner keeps
 * the TensorFlow.js model and trains it; runners read its weights (`ml.getWeights` layout: per
 * layer a kernel `[inputs, units]` then a bias `[units]`) into this mirror. Hidden layers use the
 * configured activation, the output layer none, exactly as `buildMlp` builds the model.
 *
 * Evaluation is batched: one call computes the outputs of every env of a runner at once.
 *
 * @example
 * const mlp = new JsMlp({ inputs: 4, hiddens: [64, 64], outputs: 2, activation: 'tanh' }, await ml.getWeights(model));
 * const logits = mlp.forward(observations, 8); // 8 × 2 floats
 */
export class JsMlp {
  readonly shape: MlpShape;
  readonly #kernels: Float32Array[] = [];
  readonly #biases: Float32Array[] = [];
  readonly #sizes: [number, number][];
  #scratch: Float32Array[] = [];

  /** @param weights - exactly `2 × layers` entries, in `ml.getWeights` order. */
  constructor(shape: MlpShape, weights: readonly WeightData[]) {
    this.shape = shape;
    this.#sizes = layerSizes(shape);
    if (weights.length !== 2 * this.#sizes.length) {
      throw new RangeError(`JsMlp: ${this.#sizes.length} dense layers need ${2 * this.#sizes.length} weight arrays, got ${weights.length}.`);
    }
    this.#sizes.forEach(([inputs, units], i) => {
      const kernel = weights[2 * i] as WeightData;
      const bias = weights[2 * i + 1] as WeightData;
      if (kernel.shape[0] !== inputs || kernel.shape[1] !== units || bias.shape[0] !== units) {
        throw new RangeError(
          `JsMlp: layer ${i} should have kernel [${inputs}, ${units}] and bias [${units}], got [${kernel.shape.join(', ')}] and [${bias.shape.join(', ')}].`,
        );
      }
      this.#kernels.push(Float32Array.from(kernel.data));
      this.#biases.push(Float32Array.from(bias.data));
    });
  }

  /** Number of weight arrays this network reads (two per layer). */
  static weightCount(shape: MlpShape): number {
    return 2 * layerSizes(shape).length;
  }

  /**
   * Outputs for `batch` inputs laid out row by row in `input` (`batch × inputs` floats). The
   * returned array (`batch × outputs`) is reused by the next call: copy what must outlive it.
   */
  forward(input: Float32Array, batch: number): Float32Array {
    let x = input;
    const last = this.#sizes.length - 1;
    for (let layer = 0; layer <= last; layer++) {
      const [inputs, units] = this.#sizes[layer] as [number, number];
      const kernel = this.#kernels[layer] as Float32Array;
      const bias = this.#biases[layer] as Float32Array;
      const out = this.#buffer(layer, batch * units);
      for (let b = 0; b < batch; b++) {
        const row = b * units;
        out.set(bias, row);
        const xRow = b * inputs;
        for (let i = 0; i < inputs; i++) {
          const xi = x[xRow + i] as number;
          if (xi === 0) continue; // one-hot inputs are mostly zeros
          const k = i * units;
          for (let u = 0; u < units; u++) out[row + u] = (out[row + u] as number) + xi * (kernel[k + u] as number);
        }
      }
      if (layer < last) activate(out, batch * units, this.shape.activation);
      x = out;
    }
    return x;
  }

  #buffer(layer: number, length: number): Float32Array {
    let buffer = this.#scratch[layer];
    if (!buffer || buffer.length < length) {
      buffer = new Float32Array(length);
      this.#scratch[layer] = buffer;
    }
    return length === buffer.length ? buffer : buffer.subarray(0, length);
  }
}

function activate(values: Float32Array, length: number, activation: MlpShape['activation']): void {
  switch (activation) {
    case 'tanh':
      for (let i = 0; i < length; i++) values[i] = Math.tanh(values[i] as number);
      return;
    case 'relu':
      for (let i = 0; i < length; i++) if ((values[i] as number) < 0) values[i] = 0;
      return;
    case 'linear':
      return;
    default:
      throw new Error(`Unknown activation: ${String(activation satisfies never)}`);
  }
}
