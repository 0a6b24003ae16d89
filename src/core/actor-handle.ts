import { actorDescriptorKey, type ActorDescriptor } from './actor-handle-tag.ts';
import { RayboxUsageError } from './errors.ts';
import type { ObjectRef } from './object-ref.ts';
import type { ObjectRefGenerator } from './object-ref-generator.ts';
import { validateMethodOptions, type ActorMethodOptions } from './options.ts';
import { currentRealm } from './realm.ts';
import type { AnyFunction, RemoteArgs } from './remote-function.ts';

/** One method of an actor handle: `handle.increment.remote()`. */
export interface ActorMethod<F extends AnyFunction> {
  remote(
    ...args: RemoteArgs<Parameters<F>>
  ): ReturnType<F> extends AsyncGenerator<infer Y> | Generator<infer Y> ? ObjectRefGenerator<Y> : ObjectRef<Awaited<ReturnType<F>>>;
  options(options: ActorMethodOptions): { remote(...args: RemoteArgs<Parameters<F>>): ObjectRef | ObjectRef[] };
}

/** A handle to a live actor, offering exactly the methods of its class. */
export type ActorHandle<T> = {
  readonly [K in keyof T as T[K] extends AnyFunction ? K : never]: T[K] extends AnyFunction ? ActorMethod<T[K]> : never;
} & { readonly actorId: string; readonly [actorDescriptorKey]: ActorDescriptor };

/**
 * Builds the handle proxy. Asking for a method the class does not have throws at once with the
 * list of methods, instead of failing later inside a worker.
 */
export function makeActorHandle<T>(descriptor: ActorDescriptor): ActorHandle<T> {
  const methods = new Map<string, ActorMethod<AnyFunction>>();
  const methodFor = (method: string): ActorMethod<AnyFunction> => {
    let stub = methods.get(method);
    if (stub) return stub;
    const streaming = descriptor.streamingMethods.includes(method);
    const call = (options: ActorMethodOptions, args: unknown[]) =>
      currentRealm().callActor(descriptor, method, args, options, streaming);
    stub = {
      remote: (...args: unknown[]) => call({}, args),
      options: (options: ActorMethodOptions) => {
        const checked = validateMethodOptions(options, `${descriptor.className}.${method}.options()`);
        return { remote: (...args: unknown[]) => call(checked, args) };
      },
    } as ActorMethod<AnyFunction>;
    methods.set(method, stub);
    return stub;
  };
  return new Proxy({} as ActorHandle<T>, {
    get(_target, key) {
      if (key === actorDescriptorKey) return descriptor;
      if (key === 'actorId') return descriptor.actorId;
      if (key === 'toString') return () => `ActorHandle(${descriptor.className}, ${descriptor.actorId})`;
      if (typeof key === 'symbol' || key === 'then' || key === 'toJSON') return undefined;
      if (descriptor.methods.includes(key)) return methodFor(key);
      throw new RayboxUsageError(
        `Actor ${descriptor.className} has no method '${key}'. Its methods are: ${descriptor.methods.join(', ') || '(none)'}.`,
      );
    },
    has(_target, key) {
      return key === actorDescriptorKey || key === 'actorId' || (typeof key === 'string' && descriptor.methods.includes(key));
    },
    ownKeys() {
      return ['actorId', ...descriptor.methods];
    },
    getOwnPropertyDescriptor(_target, key) {
      if (key === 'actorId' || (typeof key === 'string' && descriptor.methods.includes(key))) {
        return { configurable: true, enumerable: true, value: key === 'actorId' ? descriptor.actorId : methodFor(key) };
      }
      return undefined;
    },
  });
}
