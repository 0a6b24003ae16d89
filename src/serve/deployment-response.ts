/**
 * The result of a handle call: awaitable like a promise, or passed unawaited to another handle
 * call, which then sends the underlying object ref (the value goes replica to replica, not
 * through the caller's code).
 */
import type { ObjectRef } from '../core/object-ref.ts';

export class DeploymentResponse<T = unknown> implements PromiseLike<T> {
  readonly #result: Promise<T>;
  /** The ref of the result, once a replica took the request. */
  readonly ref: Promise<ObjectRef<T>>;
  constructor(ref: Promise<ObjectRef<T>>, result: Promise<T>) {
    this.ref = ref;
    this.#result = result;
    // A response nobody awaits must not report an unhandled rejection; awaiting it still throws.
    ref.catch(() => {});
    result.catch(() => {});
  }
  then<A = T, B = never>(onFulfilled?: ((value: T) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.#result.then(onFulfilled, onRejected);
  }
  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.#result.catch(onRejected);
  }
  /** The result (Ray's `response.result()`). */
  result(): Promise<T> {
    return this.#result;
  }
}

/** Top-level responses among call arguments become their refs, so the runtime resolves them. */
export function resolveResponses(args: unknown[]): Promise<unknown[]> {
  return Promise.all(args.map((a) => (a instanceof DeploymentResponse ? a.ref : a)));
}
