/**
 * The TensorFlow.js backends raybox chooses between, best first when the hardware is real:
 * a GPU through WebGPU, a GPU through WebGL, the CPU through WebAssembly (SIMD, threads when the
 * page is cross-origin isolated), and plain JavaScript.
 */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Every backend, in the order raybox prefers them when nothing says otherwise. */
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export function isBackendName(value: unknown): value is BackendName {
  return typeof value === 'string' && (BACKEND_NAMES as readonly string[]).includes(value);
}
