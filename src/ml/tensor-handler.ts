import type { Tensor } from '@tensorflow/tfjs';
import { RayboxUsageError } from '../core/errors.ts';
import { registerValueHandler, type ValueHandler } from '../protocol/value-handler.ts';
import { TensorDecodeError, TensorDisposedError, TfNotLoadedError } from './errors.ts';
import { loadTf } from './load-tf.ts';
import { forSending, readsFresh, type NumericArray } from './tensor-data.ts';
import { loadedTf } from './tf-module.ts';

/**
 * Tensors as task arguments and results. A tensor lives in one realm's backend (a wasm heap, a
 * GPU), so it travels as its values: `{ dtype, shape, data }` with `data` a typed array (or, for
 * string tensors, an array of strings), and becomes a tensor again on the receiving realm's own
 * best backend. Where reading the values makes a private copy (wasm), the copy's buffer is
 * transferred rather than copied once more.
 */

/** A tensor on the wire. */
export type SerializedTensor =
  | { dtype: 'float32'; shape: number[]; data: Float32Array }
  | { dtype: 'int32'; shape: number[]; data: Int32Array }
  | { dtype: 'bool'; shape: number[]; data: Uint8Array }
  | { dtype: 'string'; shape: number[]; data: string[] };

/** The handler's wire name. Published: never change it. */
export const TENSOR_HANDLER_NAME = 'tf.Tensor';

/**
 * True for a TensorFlow.js tensor, from this realm's tf or any other copy (a task may import its
 * own). Cheap and never loads tf: the value encoder asks it about every object it meets.
 */
export function isTensor(value: unknown): value is Tensor {
  if (typeof value !== 'object' || value === null) return false;
  const tf = loadedTf();
  if (tf && value instanceof tf.Tensor) return true;
  return (
    'dataId' in value &&
    'rankType' in value &&
    typeof (value as { dtype?: unknown }).dtype === 'string' &&
    Array.isArray((value as { shape?: unknown }).shape) &&
    typeof (value as { dataSync?: unknown }).dataSync === 'function'
  );
}

function serializeTensor(tensor: Tensor): { data: SerializedTensor; transfer: ArrayBuffer[] } {
  if (tensor.isDisposed) throw new TensorDisposedError('The value sent');
  if (tensor.dtype === 'complex64') {
    // The wasm backend, where most receivers run, has no complex kernels at all.
    throw new RayboxUsageError('A complex64 tensor cannot be sent: send tf.real(t) and tf.imag(t) instead, and tf.complex() them where they arrive.');
  }
  const shape = [...tensor.shape];
  if (tensor.dtype === 'string') {
    return { data: { dtype: 'string', shape, data: tensor.dataSync<'string'>() as unknown as string[] }, transfer: [] };
  }
  const { data, transfer } = forSending(tensor.dataSync() as NumericArray, readsFresh(tensor));
  return { data: { dtype: tensor.dtype, shape, data } as SerializedTensor, transfer };
}

/** Checks data that arrived from elsewhere really describes a tensor; returns it typed. */
export function decodeSerializedTensor(value: unknown): SerializedTensor {
  if (typeof value !== 'object' || value === null) throw new TensorDecodeError(`expected an object, got ${typeof value}`);
  const { dtype, shape, data } = value as Record<string, unknown>;
  if (!Array.isArray(shape) || !shape.every((d): d is number => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw new TensorDecodeError(`shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  const size = shape.reduce((product: number, d: number) => product * d, 1);
  const expect = (ok: boolean, kind: string, length: number): void => {
    if (!ok) throw new TensorDecodeError(`a ${String(dtype)} tensor needs its data as ${kind}`);
    if ((data as { length: number }).length !== length) {
      throw new TensorDecodeError(`shape [${shape.join(', ')}] needs ${length} values but ${(data as { length: number }).length} came`);
    }
  };
  switch (dtype) {
    case 'float32':
      expect(data instanceof Float32Array, 'a Float32Array', size);
      break;
    case 'int32':
      expect(data instanceof Int32Array, 'an Int32Array', size);
      break;
    case 'bool':
      expect(data instanceof Uint8Array, 'a Uint8Array', size);
      break;
    case 'string':
      expect(Array.isArray(data) && data.every((s) => typeof s === 'string'), 'an array of strings', size);
      break;
    default:
      throw new TensorDecodeError(`unknown dtype ${JSON.stringify(dtype)}`);
  }
  return value as SerializedTensor;
}

function deserializeTensor(value: SerializedTensor): Tensor {
  const tf = loadedTf();
  if (!tf) throw new TfNotLoadedError('Decoding a tensor');
  const serialized = decodeSerializedTensor(value);
  return serialized.dtype === 'string'
    ? tf.tensor(serialized.data, serialized.shape, 'string')
    : tf.tensor(serialized.data, serialized.shape, serialized.dtype);
}

/**
 * The value handler for tensors, named 'tf.Tensor'. `ready()` loads TensorFlow.js (on this
 * realm's best backend) so that `deserialize` can make tensors.
 *
 * @example
 * registerValueHandler(tensorHandler); // done by registerTensorHandler() and by importing src/ml
 * const { data, transfer } = tensorHandler.serialize(tf.ones([2, 2]));
 * worker.postMessage(data, transfer);
 */
export const tensorHandler: ValueHandler<Tensor, SerializedTensor> = {
  name: TENSOR_HANDLER_NAME,
  canHandle: isTensor,
  serialize: serializeTensor,
  deserialize: deserializeTensor,
  async ready(): Promise<void> {
    await loadTf();
  },
};

/** Registers `tensorHandler` in this realm (idempotent), so tensors can be task values. */
export function registerTensorHandler(): void {
  registerValueHandler(tensorHandler);
}
