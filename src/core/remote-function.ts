import type { ObjectRef } from './object-ref.ts';
import type { ObjectRefGenerator } from './object-ref-generator.ts';
import { describeFunction, type FunctionDescriptor } from './function-descriptor.ts';
import { validateTaskOptions, type TaskOptions } from './options.ts';
import { currentRealm } from './realm.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the widest function type, for inference only
export type AnyFunction = (...args: any[]) => unknown;

/** An argument may be given as its value or as a ref to it, as in Ray. */
export type RemoteArgs<A extends unknown[]> = { [K in keyof A]: A[K] | ObjectRef<A[K]> };

/** What `.remote()` returns: a ref, a list of refs for `numReturns > 1`, a generator for streams. */
export type RemoteResult<F extends AnyFunction, N> =
  [ReturnType<F>] extends [never]
    ? ObjectRef<never>
    : ReturnType<F> extends AsyncGenerator<infer Y> | Generator<infer Y>
      ? ObjectRefGenerator<Y>
      : N extends 1
        ? ObjectRef<Awaited<ReturnType<F>>>
        : ObjectRef[];

/** A function that runs as a task on a worker: `f.remote(...args)`. */
export interface RemoteFunction<F extends AnyFunction, N = 1> {
  remote(...args: RemoteArgs<Parameters<F>>): RemoteResult<F, N>;
  /** A copy of this remote function with the given options merged in. */
  options<const O extends TaskOptions>(options: O): RemoteFunction<F, O extends { numReturns: infer M } ? M : N>;
  /** The options in force. */
  readonly taskOptions: Readonly<TaskOptions>;
}

export function makeRemoteFunction<F extends AnyFunction>(fn: F, options: TaskOptions): RemoteFunction<F> {
  const descriptor = describeFunction(fn);
  return build<F>(descriptor, validateTaskOptions(options, `remote(${descriptor.name})`));
}

function build<F extends AnyFunction, N = 1>(descriptor: FunctionDescriptor, options: TaskOptions): RemoteFunction<F, N> {
  const remoteFunction = {
    taskOptions: Object.freeze({ ...options }),
    remote(...args: unknown[]) {
      return currentRealm().submitTask(descriptor, args, options);
    },
    options(more: TaskOptions) {
      const merged = { ...options, ...validateTaskOptions(more, `${descriptor.name}.options()`) };
      return build(descriptor, merged);
    },
  };
  Object.defineProperty(remoteFunction, 'name', { value: descriptor.name });
  return remoteFunction as unknown as RemoteFunction<F, N>;
}
