import { actorDescriptorOf } from './actor-handle-tag.ts';
import { makeActorHandle, type ActorHandle } from './actor-handle.ts';
import { makeActorClass, type ActorClass, type AnyClass } from './actor-class.ts';
import { RayboxUsageError } from './errors.ts';
import { isClass } from './function-descriptor.ts';
import { isObjectRef, type ObjectRef } from './object-ref.ts';
import { describe, type ActorOptions, type TaskOptions } from './options.ts';
import { currentRealm, type CancelOptions, type WaitResult } from './realm.ts';
import { makeRemoteFunction, type AnyFunction, type RemoteFunction } from './remote-function.ts';

/**
 * The calls of Ray's core API, written once against the current realm: the page's driver or, inside
 * a task, the worker's link to it. `src/index.ts` re-exports them; workers expose them as the
 * global `raybox`.
 */

/**
 * Makes a function a remote task, or a class an actor class.
 * @example
 * const square = remote((x: number) => x * x);
 * await get(square.remote(4)); // 16
 */
export function remote<C extends AnyClass>(cls: C, options?: ActorOptions): ActorClass<C>;
export function remote<F extends AnyFunction>(fn: F, options?: TaskOptions): RemoteFunction<F>;
export function remote(target: unknown, options?: TaskOptions | ActorOptions): unknown {
  if (isClass(target)) return makeActorClass(target, (options ?? {}) as ActorOptions);
  if (typeof target === 'function') return makeRemoteFunction(target as AnyFunction, (options ?? {}) as TaskOptions);
  throw new RayboxUsageError(
    `remote() takes a function or a class, got ${describe(target)}. Example: const f = remote((x) => x + 1); f.remote(1).`,
  );
}

/**
 * Waits for objects and returns their values, in order; rejects with the task's error.
 * @example
 * const [a, b] = await get([f.remote(1), f.remote(2)]);
 */
export function get<T>(ref: ObjectRef<T>, options?: { timeout?: number }): Promise<T>;
export function get<T extends readonly ObjectRef[]>(
  refs: T,
  options?: { timeout?: number },
): Promise<{ [K in keyof T]: T[K] extends ObjectRef<infer V> ? V : never }>;
export function get<T>(refs: ObjectRef<T>[], options?: { timeout?: number }): Promise<T[]>;
export function get(refs: unknown, options: { timeout?: number } = {}): Promise<unknown> {
  // Not `async`: a `get` in a loop pays for each promise between a value and its caller.
  try {
    const timeout = checkTimeout(options.timeout, 'get');
    if (isObjectRef(refs)) return currentRealm().get([refs], timeout).then(firstOf);
    return currentRealm().get(checkRefList(refs, 'get'), timeout);
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

function firstOf(values: unknown[]): unknown {
  return values[0];
}

/**
 * Stores a value and returns its ref. Synchronous, like Ray's `ray.put`.
 * @example
 * const ref = put(new Float32Array(1e6)); f.remote(ref);
 */
export function put<T>(value: T): ObjectRef<T> {
  if (isObjectRef(value)) {
    throw new RayboxUsageError('put() got an ObjectRef; it is already in the store. Pass the ref itself.');
  }
  return currentRealm().put(value) as ObjectRef<T>;
}

/**
 * Returns once `numReturns` of the refs are ready or the timeout passes; both lists keep input order.
 * @example
 * const { ready, notReady } = await wait(refs, { numReturns: 2, timeout: 7 });
 */
export async function wait<T>(
  refs: ObjectRef<T>[],
  options: { numReturns?: number; timeout?: number } = {},
): Promise<WaitResult<T>> {
  const list = checkRefList(refs, 'wait');
  const numReturns = options.numReturns ?? 1;
  if (!Number.isInteger(numReturns) || numReturns < 0 || numReturns > list.length) {
    throw new RayboxUsageError(
      `wait(): numReturns must be an integer from 0 to the number of refs (${list.length}), got ${describe(numReturns)}.`,
    );
  }
  if (new Set(list.map((r) => r.id)).size !== list.length) {
    throw new RayboxUsageError('wait(): the list has the same ref twice. Pass each ref once.');
  }
  return currentRealm().wait(list, numReturns, checkTimeout(options.timeout, 'wait')) as Promise<WaitResult<T>>;
}

/**
 * Cancels a task: a pending one never runs; a running one sees `raybox.cancelled()` become true,
 * and with `force` its worker is terminated.
 * @example
 * cancel(ref); await get(ref); // rejects with TaskCancelledError
 */
export function cancel(ref: ObjectRef, options: CancelOptions = {}): void {
  if (!isObjectRef(ref)) throw new RayboxUsageError(`cancel() takes the ObjectRef a task returned, got ${describe(ref)}.`);
  currentRealm().cancel(ref, { force: options.force ?? false, recursive: options.recursive ?? true });
}

/**
 * Kills an actor; its later calls reject with ActorDiedError.
 * @example
 * kill(counter);
 */
export function kill(handle: unknown, options: { noRestart?: boolean } = {}): void {
  const descriptor = actorDescriptorOf(handle);
  if (!descriptor) throw new RayboxUsageError(`kill() takes an actor handle, got ${describe(handle)}.`);
  currentRealm().kill(descriptor, options.noRestart ?? true);
}

/**
 * The handle of a named actor.
 * @example
 * const tracker = getActor<DataTracker>('tracker');
 */
export function getActor<T = unknown>(name: string): ActorHandle<T> {
  if (typeof name !== 'string' || name === '') throw new RayboxUsageError('getActor() takes the name given in options({ name }).');
  return makeActorHandle<T>(currentRealm().getActor(name));
}

function checkRefList(refs: unknown, call: string): ObjectRef[] {
  if (!Array.isArray(refs)) {
    throw new RayboxUsageError(
      `${call}() takes an ObjectRef or an array of ObjectRefs, got ${describe(refs)}. ` +
        'Did you call the function directly? Use f.remote(...) to get a ref.',
    );
  }
  refs.forEach((ref: unknown, i) => {
    if (!isObjectRef(ref)) {
      throw new RayboxUsageError(
        `${call}(): item ${i} is ${describe(ref)}, not an ObjectRef. Pass the refs that .remote() or put() returned.`,
      );
    }
  });
  return refs as ObjectRef[];
}

function checkTimeout(timeout: unknown, call: string): number | undefined {
  if (timeout === undefined || timeout === null) return undefined;
  if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout < 0) {
    throw new RayboxUsageError(`${call}(): timeout is in seconds and must be a number ≥ 0, got ${describe(timeout)}.`);
  }
  return timeout;
}

/**
 * Inside a task: true once the task has been cancelled, so a long loop can stop early. Always
 * false outside tasks.
 * @example
 * for (const item of items) { if (raybox.cancelled()) return; work(item); }
 */
export function cancelled(): boolean {
  return currentRealm().taskContext()?.signal.aborted ?? false;
}

/**
 * Inside a task: an AbortSignal that fires when the task is cancelled, for fetch() and other
 * abortable calls. Outside tasks, a signal that never fires.
 * @example
 * await fetch(url, { signal: raybox.taskSignal() });
 */
export function taskSignal(): AbortSignal {
  return currentRealm().taskContext()?.signal ?? new AbortController().signal;
}

/**
 * The id of the task running this code, or null outside tasks.
 * @example
 * console.log(raybox.taskId());
 */
export function taskId(): string | null {
  return currentRealm().taskContext()?.taskId ?? null;
}

/**
 * Where this code runs: the node (this page's, or a peer's) and the worker, as Ray's
 * `ray.get_runtime_context()`.
 * @example
 * const where = remote(() => raybox.getRuntimeContext().nodeId);
 */
export function getRuntimeContext(): { nodeId: string; workerId: string | null; taskId: string | null } {
  const realm = currentRealm();
  return { ...realm.runtimeContext(), taskId: realm.taskContext()?.taskId ?? null };
}
