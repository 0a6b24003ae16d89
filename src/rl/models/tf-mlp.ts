import type { MlpShape } from './model-config.ts';
import { layerSizes } from './model-config.ts';
import type { Sequential, Tf, Variable } from './tf-types.ts';

/** How the output layer starts. */
export interface MlpInit {
  /** Seeds the kernels' initialisers, one derived seed per layer, so a config seed fixes the model. */
  seed: number;
  /**
   * Scale of the output layer's initial kernel relative to Glorot. A policy head starts near
   * uniform with a small scale (0.01, as RLlib and CleanRL do), which keeps early exploration wide.
   * @default 1
   */
  outputScale?: number;
}

/**
 * Builds the TensorFlow.js model for `shape`: dense hidden layers with `shape.activation`, a
 * linear output layer, zero biases, seeded Glorot-uniform kernels. `JsMlp` evaluates the same
 * network from its weights.
 *
 * @example
 * const tf = await loadTf();
 * const pi = buildMlp(tf, { inputs: 4, hiddens: [64, 64], outputs: 2, activation: 'tanh' }, { seed: 1, outputScale: 0.01 });
 */
export function buildMlp(tf: Tf, shape: MlpShape, init: MlpInit): Sequential {
  const sizes = layerSizes(shape);
  const last = sizes.length - 1;
  const model = tf.sequential();
  sizes.forEach(([inputs, units], i) => {
    const seed = (init.seed * 7919 + i * 104729) % 2147483647;
    const isOutput = i === last;
    const scale = isOutput ? (init.outputScale ?? 1) : 1;
    model.add(
      tf.layers.dense({
        units,
        inputShape: i === 0 ? [inputs] : undefined,
        activation: isOutput || shape.activation === 'linear' ? 'linear' : shape.activation,
        kernelInitializer: tf.initializers.varianceScaling({ scale: scale * scale, mode: 'fanAvg', distribution: 'uniform', seed }),
        biasInitializer: 'zeros',
      }),
    );
  });
  return model;
}

/** The trainable variables of `models`, for an optimiser's `varList`. */
export function trainableVariables(...models: Sequential[]): Variable[] {
  // A LayerVariable's read() is the tf.Variable itself (typed as Tensor): the optimiser needs it.
  return models.flatMap((model) => model.trainableWeights.map((weight) => weight.read() as Variable));
}
