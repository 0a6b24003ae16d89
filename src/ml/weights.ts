import type { Tensor } from '@tensorflow/tfjs';
import { TfNotLoadedError, WeightsMismatchError } from './errors.ts';
import { owned, readsFresh } from './tensor-data.ts';
import { loadedTf } from './tf-module.ts';

/**
 * A model's weights as plain, transferable data: what a learner sends to its env runners every
 * iteration (RLlib's `get_weights`/`set_weights`). Matched by position, as in Keras: two models
 * built alike get different layer names (`dense_Dense1` vs `dense_Dense7`), so names are only
 * reported, never used to match.
 */

/** One weight variable: `data` is a private copy whose buffer may be transferred. */
export interface WeightEntry {
  /** The variable's name in the model it came from, e.g. `dense_Dense1/kernel`. */
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

export type Weights = WeightEntry[];

/** What getWeights/setWeights need of a model: any tf.LayersModel or tf.layers.Layer has it. */
export interface WeightedModel {
  readonly weights: readonly { readonly name: string; readonly shape: readonly (number | null)[]; readonly dtype: string }[];
  getWeights(): Tensor[];
  setWeights(weights: Tensor[]): void;
}

/**
 * Copies the model's weights out, without blocking on a GPU (values are read with `data()`).
 *
 * @example
 * const weights = await getWeights(learnerModel);
 * worker.postMessage(weights, weightsTransferList(weights));
 */
export async function getWeights(model: WeightedModel): Promise<Weights> {
  const variables = model.weights;
  // getWeights() returns the variables' own tensors: read them, never dispose them.
  const values = model.getWeights();
  return Promise.all(
    values.map(async (tensor, index): Promise<WeightEntry> => {
      const name = variables[index]?.name ?? `weight ${index}`;
      if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') {
        throw new WeightsMismatchError(name, 'float32 or int32', tensor.dtype, 'dtype');
      }
      const data = owned((await tensor.data()) as Float32Array | Int32Array, readsFresh(tensor));
      return { name, shape: [...tensor.shape], dtype: tensor.dtype, data };
    }),
  );
}

/** The buffers of `weights`, for postMessage's transfer list (the sender gives the weights up). */
export function weightsTransferList(weights: Weights): ArrayBuffer[] {
  return weights.map((entry) => entry.data.buffer as ArrayBuffer);
}

/**
 * Loads `weights` (from `getWeights` of a model built the same way) into `model`. Checks count,
 * shapes and dtypes first and changes nothing if any differ. The model keeps its own copy, so the
 * caller may reuse or transfer `weights` afterwards.
 *
 * @throws WeightsMismatchError naming the model's weight and both shapes.
 * @example
 * setWeights(runnerModel, weights);
 */
export function setWeights(model: WeightedModel, weights: Weights): void {
  const tf = loadedTf();
  if (!tf) throw new TfNotLoadedError('setWeights');
  const variables = model.weights;
  if (weights.length !== variables.length) {
    throw new WeightsMismatchError('', String(variables.length), String(weights.length));
  }
  variables.forEach((variable, index) => {
    const entry = weights[index]!;
    const expected = variable.shape.map((d) => d ?? -1);
    if (expected.length !== entry.shape.length || expected.some((d, i) => d !== entry.shape[i])) {
      throw new WeightsMismatchError(variable.name, expected, entry.shape);
    }
    if (variable.dtype !== entry.dtype) throw new WeightsMismatchError(variable.name, variable.dtype, entry.dtype, 'dtype');
    const size = entry.shape.reduce((product, d) => product * d, 1);
    if (entry.data.length !== size) {
      throw new WeightsMismatchError(variable.name, `${size} values`, `${entry.data.length} values`, 'data of');
    }
  });
  // The cpu and webgl backends keep the typed array they are given as the tensor's storage; a
  // copy stops later changes to (or a transfer of) `weights` from reaching into the model.
  const aliases = tf.getBackend() !== 'wasm';
  tf.tidy(() => {
    model.setWeights(weights.map((entry) => tf.tensor(aliases ? entry.data.slice() : entry.data, entry.shape, entry.dtype)));
  });
}
