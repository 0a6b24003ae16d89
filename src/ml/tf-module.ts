import type * as TfModule from '@tensorflow/tfjs';

/** The TensorFlow.js namespace (`@tensorflow/tfjs`), as `loadTf()` resolves it. A type only: free. */
export type Tf = typeof TfModule;

let loaded: Tf | undefined;
let importing: Promise<Tf> | undefined;
const listeners = new Set<(tf: Tf) => void>();

/**
 * Imports TensorFlow.js once per realm. Dynamic, so a page or worker that never touches a tensor
 * never downloads or parses it (it is the largest dependency by far).
 */
export function importTf(): Promise<Tf> {
  importing ??= import('@tensorflow/tfjs').then(
    (tf) => {
      loaded = tf;
      for (const listener of listeners) listener(tf);
      listeners.clear();
      return tf;
    },
    (error: unknown) => {
      importing = undefined;
      throw error;
    },
  );
  return importing;
}

/** TensorFlow.js if this realm has imported it already, else undefined. Never imports it. */
export function loadedTf(): Tf | undefined {
  return loaded;
}

/**
 * Calls `listener` once TensorFlow.js is imported in this realm (at once if it already is), before
 * any code can create a tensor with it. How the tensor scope starts tracking when a task loads tf
 * halfway through its run.
 */
export function onTfLoaded(listener: (tf: Tf) => void): void {
  if (loaded) listener(loaded);
  else listeners.add(listener);
}
