/**
 * A named way to carry a value that structured clone cannot (or should not) carry as it is, such
 * as a tensor. Modelled on Comlink's transfer handlers: the encoder asks each registered handler
 * `canHandle`, and the first that says yes turns the value into plain, cloneable data plus the
 * buffers that may be transferred instead of copied. The receiving side finds the handler by
 * `name` and rebuilds the value.
 */
export interface ValueHandler<T = unknown, S = unknown> {
  /** Unique name; it travels on the wire, so it never changes once published. */
  readonly name: string;
  canHandle(value: unknown): value is T;
  /** Plain data for `value`, and the ArrayBuffers inside that data that may be transferred. */
  serialize(value: T): { data: S; transfer: ArrayBuffer[] };
  deserialize(data: S): T;
  /**
   * Resolves once `deserialize` can run (a handler may need a library loaded first). A receiver
   * awaits it before decoding a message that carries this handler's values; omit it when the
   * handler is always ready.
   */
  ready?(): Promise<void>;
}

const handlers = new Map<string, ValueHandler>();

/** Registers a handler in this realm. Registering the same name again replaces it. */
export function registerValueHandler<T, S>(handler: ValueHandler<T, S>): void {
  handlers.set(handler.name, handler as unknown as ValueHandler);
}

export function valueHandler(name: string): ValueHandler | undefined {
  return handlers.get(name);
}

export function valueHandlers(): Iterable<ValueHandler> {
  return handlers.values();
}

export function hasValueHandlers(): boolean {
  return handlers.size > 0;
}

/**
 * Stands in for the handler of `name` until the module that registers it is loaded: a value of
 * that kind arriving first makes `ready()` run `load` (which registers the real handler in this
 * one's place), and decoding waits for it. Workers use it for the libraries they load on first
 * use, since a library's value (a `DataIterator`, a training `Checkpoint`) can reach a task whose
 * own source never names the library.
 */
export function registerLoadOnArrival(name: string, load: () => Promise<unknown>): void {
  registerValueHandler<unknown, unknown>({
    name,
    canHandle: (_value): _value is unknown => false,
    serialize: () => {
      throw new Error(`a value of kind '${name}' is encoded by its own handler, once its module is loaded`);
    },
    deserialize(data) {
      const real = valueHandler(name);
      if (!real || real.deserialize === this.deserialize) throw new Error(`The module that decodes '${name}' did not load before such a value was decoded. This is a bug in raybox: please report it.`);
      return real.deserialize(data);
    },
    ready: async () => {
      await load();
    },
  });
}
