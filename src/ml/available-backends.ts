import type { BackendName } from './backend-name.ts';
import { probeGpus } from './gpu-probe.ts';

/**
 * Backends this realm can offer by capability (an adapter exists, a WebGL context can be made,
 * WebAssembly is defined), software GPUs included, without initialising any of them. What a
 * `BackendUnavailableError` lists, and what a benchmark may force.
 */
export async function availableBackends(): Promise<BackendName[]> {
  const gpus = await probeGpus();
  const available: BackendName[] = [];
  if (gpus.webgpu.kind !== 'absent') available.push('webgpu');
  if (gpus.webgl.kind !== 'absent') available.push('webgl');
  if (typeof WebAssembly === 'object') available.push('wasm');
  available.push('cpu');
  return available;
}
