import { RayboxError, registerErrorClass } from '../core/errors.ts';

/**
 * Errors of `raybox.ml`. Each has a literal `name`, keeps the facts a caller needs as fields (and
 * in `details()`, so they survive a hop between workers), and says what to do next.
 */

/** A forced backend (`loadTf({ backend })`) could not be initialised in this realm. */
export class BackendUnavailableError extends RayboxError {
  override readonly name = 'BackendUnavailableError';
  readonly backend: string;
  readonly available: readonly string[];
  readonly reason: string;
  constructor(backend: string, available: readonly string[], reason: string) {
    super(
      `TensorFlow.js backend '${backend}' is not available here (${reason}). ` +
        `Backends available here: ${available.length > 0 ? available.join(', ') : 'none'}. ` +
        'Force one of those, or leave options.backend out to let raybox pick the best.',
    );
    this.backend = backend;
    this.available = available;
    this.reason = reason;
  }
  override details(): Record<string, unknown> {
    return { backend: this.backend, available: [...this.available], reason: this.reason };
  }
}

/** No backend at all could be initialised: not even `cpu`. Nothing tensor-shaped can run. */
export class NoBackendError extends RayboxError {
  override readonly name = 'NoBackendError';
  constructor(reasons: string) {
    super(
      `No TensorFlow.js backend could be initialised in this realm (${reasons}). ` +
        'Check the console for TensorFlow.js warnings; a page with a strict Content-Security-Policy ' +
        "must allow 'wasm-unsafe-eval' and blob: workers.",
    );
  }
}

/** A tensor was used after `dispose()` (for example sent as a task's argument). */
export class TensorDisposedError extends RayboxError {
  override readonly name = 'TensorDisposedError';
  constructor(what: string) {
    super(
      `${what} is a tensor that was already disposed, so its values are gone. ` +
        'Keep it alive (tf.keep, or dispose it later) until the call that sends it has returned.',
    );
  }
}

/** Serialized tensor data that does not describe a tensor: a corrupted or foreign message. */
export class TensorDecodeError extends RayboxError {
  override readonly name = 'TensorDecodeError';
  constructor(problem: string) {
    super(
      `A serialized tensor could not be decoded: ${problem}. ` +
        "Send tensors only through raybox's own encoder, and use the same raybox version on both sides.",
    );
  }
}

/** TensorFlow.js is needed synchronously but this realm has not loaded it yet. */
export class TfNotLoadedError extends RayboxError {
  override readonly name = 'TfNotLoadedError';
  constructor(what: string) {
    super(`${what} needs TensorFlow.js, which this realm has not loaded yet. Await ml.loadTf() (or the handler's ready()) first.`);
  }
}

/** Weights do not fit the model they were given to: another architecture, or another order. */
export class WeightsMismatchError extends RayboxError {
  override readonly name = 'WeightsMismatchError';
  /** The model's weight that did not match, e.g. `dense_Dense2/kernel`; `''` for a count mismatch. */
  readonly layer: string;
  readonly expected: readonly number[] | string;
  readonly actual: readonly number[] | string;
  constructor(layer: string, expected: readonly number[] | string, actual: readonly number[] | string, what = 'shape') {
    const show = (v: readonly number[] | string): string => (typeof v === 'string' ? v : `[${v.join(', ')}]`);
    super(
      layer === ''
        ? `The model has ${show(expected)} weights but ${show(actual)} were given. ` +
            'Weights are matched by position: take them with getWeights() from a model of the same architecture.'
        : `Weight '${layer}' of the model has ${what} ${show(expected)} but the weights given have ${what} ${show(actual)}. ` +
            'Weights are matched by position: build the model with the same layers, in the same order, as the one the weights came from.',
    );
    this.layer = layer;
    this.expected = expected;
    this.actual = actual;
  }
  override details(): Record<string, unknown> {
    return { layer: this.layer, expected: this.expected, actual: this.actual };
  }
}

/** `loadModel(name)` found no model saved under that name in this browser's IndexedDB. */
export class ModelNotFoundError extends RayboxError {
  override readonly name = 'ModelNotFoundError';
  readonly modelName: string;
  readonly saved: readonly string[];
  constructor(modelName: string, saved: readonly string[]) {
    super(
      `No model named '${modelName}' is saved in this browser's IndexedDB. ` +
        (saved.length > 0 ? `Saved models: ${saved.join(', ')}. ` : 'No models are saved at all. ') +
        'Save it first with ml.saveModel(model, name); note that each origin (and each browser profile) has its own store.',
    );
    this.modelName = modelName;
    this.saved = saved;
  }
  override details(): Record<string, unknown> {
    return { modelName: this.modelName, saved: [...this.saved] };
  }
}

for (const errorClass of [
  BackendUnavailableError,
  NoBackendError,
  TensorDisposedError,
  TensorDecodeError,
  TfNotLoadedError,
  WeightsMismatchError,
  ModelNotFoundError,
]) {
  registerErrorClass(errorClass.name, errorClass);
}
