import type { BackendName } from './backend-name.ts';
import { probeGpus } from './gpu-probe.ts';

/**
 * The backend tasks of this realm will get, told without loading TensorFlow.js: a hardware
 * WebGPU adapter, else hardware WebGL, else wasm. Lets a node report its backend before any
 * task has touched `tf` (an unknown GPU may still lose its calibration to wasm later).
 */
export async function predictBackend(): Promise<BackendName> {
  const probe = await probeGpus();
  if (probe.webgpu.kind === 'hardware') return 'webgpu';
  if (probe.webgl.kind === 'hardware') return 'webgl';
  return typeof WebAssembly === 'object' ? 'wasm' : 'cpu';
}
