import type { Tensor } from '@tensorflow/tfjs';
import { isTensor } from './tensor-handler.ts';
import { loadedTf, onTfLoaded, type Tf } from './tf-module.ts';

/**
 * Frees the tensors a task made and dropped. `tf.tidy` cannot span an `await`, and tasks are
 * async, so a run opens an engine scope (`startScope`) before it starts and closes it
 * (`endScope`) after it settles: every tensor created in between is disposed, except the ones
 * reachable from the result or from `options.keep` (nested in arrays, plain objects, class
 * instances, Maps and Sets), those made with `tf.keep`, and variables (model weights), which tf
 * never tracks in scopes.
 *
 * Invariant: the engine has one scope stack per realm, so runs that overlap in time (an actor
 * with maxConcurrency > 1) share one scope, opened by the first and closed when the last ends,
 * keeping what any of them returned. Their temporaries live until then.
 *
 * A run that never touches tf costs nothing and loads nothing; if tf is loaded during the run,
 * the scope opens at that moment, before any tensor exists.
 */

interface SharedScope {
  /** Runs in progress. */
  active: number;
  /** The engine's scope object, once opened (tf loaded). */
  scope: object | undefined;
  /** Results and keep roots of the runs that already ended. */
  keep: unknown[];
}

const SCOPE_NAME = 'raybox task';
let shared: SharedScope | undefined;

onTfLoaded((tf) => {
  if (shared && !shared.scope) open(tf, shared);
});

function open(tf: Tf, target: SharedScope): void {
  const engine = tf.engine();
  engine.startScope(SCOPE_NAME);
  target.scope = engine.state.activeScope;
}

export interface TensorScopeOptions {
  /**
   * More roots whose tensors must survive, e.g. the actor instance whose method ran (tensors it
   * stored in fields were made in this run).
   */
  keep?: unknown;
}

/**
 * Runs `fn` and disposes the tensors it created but did not return (see the module comment).
 * Errors propagate after the cleanup.
 *
 * @example
 * const result = await runInTensorScope(async () => {
 *   const x = tf.randomNormal([64, 64]);         // disposed when the run ends
 *   return tf.matMul(x, x);                      // survives: it is the result
 * });
 * @example
 * // An actor method: fields of the actor keep their tensors too.
 * await runInTensorScope(() => actor[method](...args), { keep: actor });
 */
export async function runInTensorScope<T>(fn: () => T | Promise<T>, options: TensorScopeOptions = {}): Promise<T> {
  const run = (shared ??= { active: 0, scope: undefined, keep: [] });
  run.active++;
  const tf = loadedTf();
  if (tf && !run.scope) open(tf, run);
  let result: T | undefined;
  try {
    result = await fn();
    return result;
  } finally {
    run.keep.push(result, options.keep);
    run.active--;
    if (run.active === 0) {
      shared = undefined;
      const loaded = loadedTf();
      if (loaded && run.scope) close(loaded, run.scope, collectTensors(run.keep));
    }
  }
}

/**
 * Ends our engine scope, first ending any scope a run opened and never closed above it (a
 * `startScope` without `endScope` in user code) so the stack is what it was before the run.
 */
function close(tf: Tf, scope: object, keep: Tensor[]): void {
  const engine = tf.engine();
  const stack = engine.state.scopeStack as object[];
  if (!stack.includes(scope)) return;
  while (stack.length > 0 && stack[stack.length - 1] !== scope) engine.endScope(keep);
  engine.endScope(keep);
}

/** Every live tensor reachable from `roots`, each once; cycles are fine. */
export function collectTensors(roots: unknown): Tensor[] {
  const found: Tensor[] = [];
  const seen = new Set<object>();
  const pending: unknown[] = [roots];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (isTensor(value)) {
      if (!value.isDisposed) found.push(value);
      continue;
    }
    // Bulk data holds no tensors; skip it rather than walk millions of numbers.
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) pending.push(item);
    } else if (value instanceof Map) {
      for (const [key, item] of value) pending.push(key, item);
    } else if (value instanceof Set) {
      for (const item of value) pending.push(item);
    } else {
      for (const key of Object.keys(value)) pending.push((value as Record<string, unknown>)[key]);
    }
  }
  return found;
}
