import type { LayersModel } from '@tensorflow/tfjs';
import { RayboxUsageError } from '../core/errors.ts';
import { ModelNotFoundError } from './errors.ts';
import { loadTf } from './load-tf.ts';

/**
 * Models kept in this browser's IndexedDB through TensorFlow.js's `indexeddb://` scheme, so a
 * trained policy survives a reload. Reachable from the page and from every worker of the origin.
 */

const SCHEME = 'indexeddb://';

function urlOf(name: string): string {
  if (typeof name !== 'string' || name === '') {
    throw new RayboxUsageError(`A model name must be a non-empty string, got ${JSON.stringify(name)}. Pass a name such as 'cartpole-ppo'.`);
  }
  return SCHEME + name;
}

/** When and how big a saved model is. */
export interface SavedModelInfo {
  name: string;
  dateSaved: Date;
  /** Bytes of weights, topology included where tf reports it. */
  bytes: number;
}

/**
 * Saves `model` under `name`, replacing any model of that name.
 *
 * @example
 * await saveModel(policy, 'cartpole-ppo');
 */
export async function saveModel(model: LayersModel, name: string): Promise<SavedModelInfo> {
  const url = urlOf(name);
  const result = await model.save(url);
  const info = result.modelArtifactsInfo;
  return { name, dateSaved: info.dateSaved, bytes: (info.weightDataBytes ?? 0) + (info.modelTopologyBytes ?? 0) };
}

/**
 * Loads the model saved under `name`.
 *
 * @throws ModelNotFoundError listing the names that are saved.
 * @example
 * const policy = await loadModel('cartpole-ppo');
 */
export async function loadModel(name: string): Promise<LayersModel> {
  const url = urlOf(name);
  const tf = await loadTf();
  const saved = await listModels();
  if (!saved.includes(name)) throw new ModelNotFoundError(name, saved);
  return tf.loadLayersModel(url);
}

/** Names of the models saved in this browser's IndexedDB, sorted. */
export async function listModels(): Promise<string[]> {
  const tf = await loadTf();
  const all = await tf.io.listModels();
  return Object.keys(all)
    .filter((url) => url.startsWith(SCHEME))
    .map((url) => url.slice(SCHEME.length))
    .sort();
}

/**
 * Deletes the model saved under `name`.
 *
 * @throws ModelNotFoundError when there is none.
 */
export async function deleteModel(name: string): Promise<void> {
  const url = urlOf(name);
  const tf = await loadTf();
  const saved = await listModels();
  if (!saved.includes(name)) throw new ModelNotFoundError(name, saved);
  await tf.io.removeModel(url);
}
