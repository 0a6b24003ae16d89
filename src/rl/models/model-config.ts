/**
 * The network shape of an algorithm's models, RLlib's `model` config: fully connected hidden
 * layers of `fcnetHiddens` units with `fcnetActivation`, then a linear output layer.
 */
export interface ModelConfig {
  /**
   * Units of each hidden layer, input side first.
   * @default [64, 64]
   */
  fcnetHiddens: number[];
  /**
   * Activation of the hidden layers.
   * @default 'tanh'
   */
  fcnetActivation: Activation;
}

/** Hidden-layer activations both the TensorFlow.js learner and the plain-JS runners implement. */
export type Activation = 'tanh' | 'relu' | 'linear';

/** The activations, for validation messages. */
export const ACTIVATIONS: readonly Activation[] = ['tanh', 'relu', 'linear'];

/** One multilayer perceptron: input width, hidden widths, output width. */
export interface MlpShape {
  inputs: number;
  hiddens: readonly number[];
  outputs: number;
  activation: Activation;
}

/** [inputs, outputs] of each dense layer of `shape`, input side first. */
export function layerSizes(shape: MlpShape): [number, number][] {
  const widths = [shape.inputs, ...shape.hiddens, shape.outputs];
  return widths.slice(1).map((units, i) => [widths[i] as number, units]);
}
