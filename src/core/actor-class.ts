import { makeActorHandle, type ActorHandle } from './actor-handle.ts';
import { describeClass, type ClassDescriptor } from './function-descriptor.ts';
import { validateActorOptions, type ActorOptions } from './options.ts';
import { currentRealm } from './realm.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the widest constructor type, for inference only
export type AnyClass = abstract new (...args: any[]) => unknown;

/** A class whose instances live in workers of their own: `Counter.remote(...args)`. */
export interface ActorClass<C extends AnyClass> {
  remote(...args: ConstructorParameters<C>): ActorHandle<InstanceType<C>>;
  options(options: ActorOptions): ActorClass<C>;
  readonly actorOptions: Readonly<ActorOptions>;
}

export function makeActorClass<C extends AnyClass>(cls: C, options: ActorOptions): ActorClass<C> {
  const descriptor = describeClass(cls);
  return build<C>(descriptor, validateActorOptions(options, `remote(${descriptor.name})`));
}

function build<C extends AnyClass>(descriptor: ClassDescriptor, options: ActorOptions): ActorClass<C> {
  return {
    actorOptions: Object.freeze({ ...options }),
    remote(...args: unknown[]) {
      const actor = currentRealm().createActor(descriptor, args, options);
      return makeActorHandle<InstanceType<C>>(actor);
    },
    options(more: ActorOptions) {
      return build<C>(descriptor, { ...options, ...validateActorOptions(more, `${descriptor.name}.options()`) });
    },
  };
}
