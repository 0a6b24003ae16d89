/**
 * `raybox.ml`: TensorFlow.js for tasks and actors. The only part of raybox that imports
 * `@tensorflow/*`, and it does so lazily: importing this module loads nothing heavy, and
 * TensorFlow.js is fetched the first time something needs it (`loadTf`, a tensor arriving, a
 * model being loaded).
 *
 * Importing it registers the tensor value handler in this realm, so tensors can be task
 * arguments and results.
 */
import { availableBackends } from './available-backends.ts';
import { hasHardwareWebGpu } from './gpu-probe.ts';
import { backendChoice, currentBackend, loadTf } from './load-tf.ts';
import { deleteModel, listModels, loadModel, saveModel } from './model-store.ts';
import { registerTensorHandler, tensorHandler } from './tensor-handler.ts';
import { runInTensorScope } from './tensor-scope.ts';
import { getWeights, setWeights, weightsTransferList } from './weights.ts';

registerTensorHandler();

/**
 * Loads TensorFlow.js in this realm (if needed) and returns the name of the backend it runs on:
 * 'webgpu', 'webgl', 'wasm' or 'cpu'.
 *
 * @example
 * console.log(await ml.backend()); // 'wasm' on a machine without a hardware GPU
 */
async function backend(): Promise<string> {
  await loadTf();
  return currentBackend() ?? 'none';
}

/**
 * The `raybox.ml` namespace.
 *
 * @example
 * const weights = await ml.getWeights(learner);  // plain, transferable
 * ml.setWeights(runner, weights);
 */
export const ml = {
  backend,
  loadTf,
  currentBackend,
  backendChoice,
  availableBackends,
  hasHardwareWebGpu,
  getWeights,
  setWeights,
  weightsTransferList,
  saveModel,
  loadModel,
  listModels,
  deleteModel,
  tensorHandler,
  runInTensorScope,
} as const;

export { availableBackends } from './available-backends.ts';
export type { BackendName } from './backend-name.ts';
export { BACKEND_NAMES, isBackendName } from './backend-name.ts';
export { clearChoices as clearBackendChoices } from './choice-cache.ts';
export {
  BackendUnavailableError,
  ModelNotFoundError,
  NoBackendError,
  TensorDecodeError,
  TensorDisposedError,
  TfNotLoadedError,
  WeightsMismatchError,
} from './errors.ts';
export { hasHardwareWebGpu, probeGpus, type GpuProbe } from './gpu-probe.ts';
export type { GpuKind, GpuVerdict } from './gpu-verdict.ts';
export { backendChoice, currentBackend, loadTf, type BackendChoice, type LoadTfOptions } from './load-tf.ts';
export { deleteModel, listModels, loadModel, saveModel, type SavedModelInfo } from './model-store.ts';
export {
  decodeSerializedTensor,
  isTensor,
  registerTensorHandler,
  TENSOR_HANDLER_NAME,
  tensorHandler,
  type SerializedTensor,
} from './tensor-handler.ts';
export { collectTensors, runInTensorScope, type TensorScopeOptions } from './tensor-scope.ts';
export { loadedTf, type Tf } from './tf-module.ts';
export { getWeights, setWeights, weightsTransferList, type WeightEntry, type WeightedModel, type Weights } from './weights.ts';
