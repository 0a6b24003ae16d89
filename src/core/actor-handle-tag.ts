/**
 * What identifies an actor handle wherever it travels: the actor's id, its class name and its
 * method names, so a handle rebuilt in a worker offers exactly the methods of the original.
 */
export interface ActorDescriptor {
  actorId: string;
  className: string;
  methods: string[];
  /** Methods that are generators: calling them streams refs. */
  streamingMethods: string[];
  /** A handle made by `getActor(name)` before the id is known resolves the name on first use. */
  name?: string;
}

/** The key under which a handle exposes its descriptor; a symbol, so no method name can clash. */
export const actorDescriptorKey: unique symbol = Symbol.for('raybox.actorDescriptor');

export function actorDescriptorOf(value: unknown): ActorDescriptor | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  return (value as { [actorDescriptorKey]?: ActorDescriptor })[actorDescriptorKey];
}
