import type { Tensor } from '@tensorflow/tfjs';
import { loadedTf } from './tf-module.ts';

/**
 * Reading a tensor's values without aliasing them by accident. `dataSync()`/`data()` return a
 * fresh copy on the wasm backend (it slices its heap) but the backend's own storage on cpu, and a
 * cached array on webgl/webgpu. Transferring a buffer the backend still holds would detach it and
 * corrupt the tensor, so a buffer is handed over only when it is known to be a private copy.
 */

export type NumericArray = Float32Array | Int32Array | Uint8Array;

/** True when reading `tensor` returns a copy made for the reader (wasm backend, real dtypes). */
export function readsFresh(tensor: Tensor): boolean {
  const tf = loadedTf();
  if (!tf || tensor.dtype === 'string' || tensor.dtype === 'complex64') return false;
  const engine = tf.engine();
  const wasm = engine.registry['wasm'];
  return wasm !== undefined && engine.state.tensorInfo.get(tensor.dataId)?.backend === wasm;
}

/** True when `data` is the whole of an ordinary (transferable) ArrayBuffer. */
function ownsWholeBuffer(data: NumericArray): boolean {
  return data.buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
}

/**
 * `data` with the buffers that may be transferred: a fresh whole buffer goes as it is; a view
 * into a larger buffer is copied (cloning it would send the whole buffer); a shared one travels
 * by structured clone, which copies it anyway.
 */
export function forSending(data: NumericArray, fresh: boolean): { data: NumericArray; transfer: ArrayBuffer[] } {
  if (fresh && ownsWholeBuffer(data)) return { data, transfer: [data.buffer as ArrayBuffer] };
  if (!ownsWholeBuffer(data)) {
    const copy = data.slice();
    return { data: copy, transfer: [copy.buffer] };
  }
  return { data, transfer: [] };
}

/** `data` as a private copy the caller may keep, mutate or transfer. */
export function owned<A extends NumericArray>(data: A, fresh: boolean): A {
  return fresh && ownsWholeBuffer(data) ? data : (data.slice() as A);
}
