import { actorDescriptorOf, type ActorDescriptor } from '../core/actor-handle-tag.ts';
import { RayboxUsageError } from '../core/errors.ts';
import { ObjectRef } from '../core/object-ref.ts';
import * as v from 'valibot';
import { actorDescriptorSchema } from './messages.ts';
import { describeIssue, ProtocolError } from './validate.ts';
import { hasValueHandlers, valueHandler, valueHandlers } from './value-handler.ts';

/**
 * Values cross workers by structured clone. Three kinds need more: ObjectRefs and actor handles
 * (which must come back as live refs and handles) and values of registered handlers (tensors).
 * The encoder replaces them with small marker objects, copying only the containers on the path to
 * a marker, and tells the decoder whether there is anything to revive at all, so plain data is
 * never walked twice.
 */

const MARK = '$raybox';

type Marker =
  | { [MARK]: 'ref'; id: string }
  | { [MARK]: 'actor'; actor: ActorDescriptor }
  | { [MARK]: 'value'; handler: string; data: unknown };

export interface EncodeOptions {
  /** Collect large ArrayBuffers to transfer instead of copy. Only for values the sender gives up. */
  transfer?: boolean;
  /** Called for every ObjectRef found, so the sender can count the reference it hands over. */
  onRef?: (id: string) => void;
  /** Called for every actor handle found, so the sender can record who was handed it. */
  onActor?: (actorId: string) => void;
  /** Names the value in error messages, e.g. "argument 1 of 'f'". */
  label?: string;
  /** Called for each instance of a class of the user's found: it travels as a plain object, without its methods. */
  onClassInstance?: (className: string) => void;
}

export interface EncodedValue {
  value: unknown;
  /** True when the value holds markers; the decoder skips the walk when false. */
  special: boolean;
  /** Names of handlers whose values are inside; the receiver awaits their `ready()` first. */
  handlers: string[] | undefined;
  transfer: ArrayBuffer[];
  /** Approximate size in bytes, for the object store's accounting. */
  size: number;
}

/** Buffers smaller than this are copied: transferring them saves nothing. */
const MIN_TRANSFER_BYTES = 64 * 1024;
/** Deeper structures are cloned as they are; this also stops the walk on cyclic data. */
const MAX_DEPTH = 64;

class Encoder {
  special = false;
  handlers: string[] | undefined;
  transfer: ArrayBuffer[] = [];
  size = 0;
  #options: EncodeOptions;
  #checkHandlers = hasValueHandlers();
  constructor(options: EncodeOptions) {
    this.#options = options;
  }

  encode(value: unknown, path: string, depth: number): unknown {
    switch (typeof value) {
      case 'number':
      case 'bigint':
        this.size += 8;
        return value;
      case 'boolean':
      case 'undefined':
        this.size += 4;
        return value;
      case 'string':
        this.size += 2 * value.length;
        return value;
      case 'symbol':
        throw this.#uncloneable(path, 'a Symbol');
      case 'function': {
        const actor = actorDescriptorOf(value);
        if (actor) return this.#actor(actor);
        throw this.#uncloneable(path, 'a function');
      }
    }
    if (value === null) return value;
    const object = value as object;
    if (object instanceof ObjectRef) {
      this.special = true;
      this.size += 16;
      this.#options.onRef?.(object.id);
      return { [MARK]: 'ref', id: object.id } satisfies Marker;
    }
    if (ArrayBuffer.isView(object)) return this.#buffer(object.buffer, object.byteLength, value);
    if (object instanceof ArrayBuffer) return this.#buffer(object, object.byteLength, value);
    const actor = actorDescriptorOf(object);
    if (actor) return this.#actor(actor);
    if (this.#checkHandlers) {
      for (const handler of valueHandlers()) {
        if (handler.canHandle(object)) return this.#handled(handler.name, handler.serialize(object));
      }
    }
    if (depth >= MAX_DEPTH) return value;
    if (Array.isArray(object)) return this.#array(object, path, depth);
    if (isPlainObject(object)) return this.#object(object as Record<string, unknown>, path, depth);
    return this.#other(object, path);
  }

  #array(array: unknown[], path: string, depth: number): unknown[] {
    let copy: unknown[] | undefined;
    this.size += 16;
    for (let i = 0; i < array.length; i++) {
      const item = array[i];
      const encoded = typeof item === 'object' || typeof item === 'function' || typeof item === 'symbol'
        ? this.encode(item, `${path}[${i}]`, depth + 1)
        : (this.size += typeof item === 'string' ? 2 * item.length : 8, item);
      if (encoded !== item) {
        copy ??= array.slice();
        copy[i] = encoded;
      }
    }
    return copy ?? array;
  }

  #object(object: Record<string, unknown>, path: string, depth: number): Record<string, unknown> {
    let copy: Record<string, unknown> | undefined;
    this.size += 16;
    for (const key in object) {
      const item = object[key];
      const encoded = this.encode(item, `${path}.${key}`, depth + 1);
      this.size += 2 * key.length;
      if (encoded !== item) {
        copy ??= { ...object };
        copy[key] = encoded;
      }
    }
    return copy ?? object;
  }

  #other(object: object, path: string): unknown {
    if (typeof Node !== 'undefined' && object instanceof Node) throw this.#uncloneable(path, 'a DOM node');
    if (object === globalThis) throw this.#uncloneable(path, "the realm's global object (self or globalThis)");
    if (typeof OffscreenCanvas !== 'undefined' && object instanceof OffscreenCanvas) {
      throw new RayboxUsageError(
        `${this.#where(path)} is an OffscreenCanvas, which cannot be sent. Send its pixels instead: ` +
          'canvas.getContext("2d").getImageData(0, 0, w, h).data, or await (await canvas.convertToBlob()).arrayBuffer().',
      );
    }
    if (object instanceof Promise) {
      throw new RayboxUsageError(
        `${this.#where(path)} is a Promise, which cannot be sent to a worker. Await it first, or pass an ObjectRef.`,
      );
    }
    if (object instanceof WeakMap || object instanceof WeakSet || object instanceof WeakRef) {
      throw this.#uncloneable(path, `a ${object.constructor.name}`);
    }
    // Dates, Maps, Sets, RegExps, Errors, Blobs and class instances go by structured clone, which
    // keeps a class instance's own data but not its class.
    if (this.#options.onClassInstance) {
      const className = userClassOf(object);
      if (className !== undefined) this.#options.onClassInstance(className);
    }
    this.size += 64;
    return object;
  }

  #buffer(buffer: ArrayBufferLike, byteLength: number, value: unknown): unknown {
    this.size += byteLength;
    if (
      this.#options.transfer &&
      byteLength >= MIN_TRANSFER_BYTES &&
      buffer instanceof ArrayBuffer &&
      !this.transfer.includes(buffer)
    ) {
      this.transfer.push(buffer);
    }
    return value;
  }

  #actor(actor: ActorDescriptor): Marker {
    this.special = true;
    this.size += 64;
    this.#options.onActor?.(actor.actorId);
    return { [MARK]: 'actor', actor: { ...actor, methods: [...actor.methods], streamingMethods: [...actor.streamingMethods] } };
  }

  #handled(name: string, serialized: { data: unknown; transfer: ArrayBuffer[] }): Marker {
    this.special = true;
    this.handlers ??= [];
    if (!this.handlers.includes(name)) this.handlers.push(name);
    for (const buffer of serialized.transfer) {
      this.size += buffer.byteLength;
      if (!this.transfer.includes(buffer)) this.transfer.push(buffer);
    }
    return { [MARK]: 'value', handler: name, data: serialized.data };
  }

  #where(path: string): string {
    return `${this.#options.label ?? 'The value'}${path === '' ? '' : ` at ${path}`}`;
  }

  #uncloneable(path: string, what: string): RayboxUsageError {
    return new RayboxUsageError(
      `${this.#where(path)} is ${what}, which cannot be sent to a worker. ` +
        'Send plain data (numbers, strings, arrays, objects, typed arrays) instead; ' +
        'to run code remotely, make it a remote function with remote(fn).',
    );
  }
}

/** The name of `object`'s class when the user wrote it (a built-in's constructor has native code). */
function userClassOf(object: object): string | undefined {
  const ctor = (Object.getPrototypeOf(object) as { constructor?: unknown } | null)?.constructor;
  if (typeof ctor !== 'function') return undefined;
  if (/\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(ctor))) return undefined;
  return ctor.name || 'an anonymous class';
}

function isPlainObject(object: object): boolean {
  const proto = Object.getPrototypeOf(object) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Encodes one value for postMessage. Throws RayboxUsageError for values that cannot travel. */
export function encodeValue(value: unknown, options: EncodeOptions = {}): EncodedValue {
  const encoder = new Encoder(options);
  const encoded = encoder.encode(value, '', 0);
  return { value: encoded, special: encoder.special, handlers: encoder.handlers, transfer: encoder.transfer, size: encoder.size };
}

/**
 * The actor ids of the handles inside a value that is encoded already (a task's arguments as
 * submitted), so the head can record who is handed them without decoding anything.
 */
export function actorIdsIn(value: unknown, found: string[] = [], depth = 0): string[] {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return found;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return found;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) actorIdsIn(item, found, depth + 1);
    return found;
  }
  const record = value as Record<string, unknown>;
  if (record[MARK] === 'actor') {
    const actorId = (record['actor'] as { actorId?: unknown } | null)?.actorId;
    if (typeof actorId === 'string') found.push(actorId);
    return found;
  }
  if (typeof record[MARK] === 'string' || !isPlainObject(record)) return found;
  for (const key in record) actorIdsIn(record[key], found, depth + 1);
  return found;
}

/** Whether an encoded value holds refs or actor handles (which the head must count for whoever receives them). */
export function holdsHandles(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return false;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return false;
  if (Array.isArray(value)) return (value as unknown[]).some((item) => holdsHandles(item, depth + 1));
  const record = value as Record<string, unknown>;
  const mark = record[MARK];
  if (mark === 'ref' || mark === 'actor') return true;
  if (typeof mark === 'string' || !isPlainObject(record)) return false;
  for (const key in record) if (holdsHandles(record[key], depth + 1)) return true;
  return false;
}

/** How a realm rebuilds actor handles; the runtime of that realm provides it. */
export interface DecodeContext {
  reviveActor(descriptor: ActorDescriptor): unknown;
}

/**
 * Rebuilds markers in a freshly received value, in place: the value came out of structured clone,
 * so nobody else holds its containers.
 */
export function decodeValue(value: unknown, context: DecodeContext): unknown {
  return decode(value, context, 0);
}

function decode(value: unknown, context: DecodeContext, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null) value[i] = decode(item, context, depth + 1);
    }
    return value;
  }
  const record = value as Record<string, unknown>;
  const mark = record[MARK];
  if (mark !== undefined) return reviveMarker(record, context);
  if (!isPlainObject(record)) return value;
  for (const key in record) {
    const item = record[key];
    if (typeof item === 'object' && item !== null) record[key] = decode(item, context, depth + 1);
  }
  return value;
}

/** Markers come from other realms, a peer's among them: each is checked before it is revived. */
const markerSchema = v.variant(MARK, [
  v.object({ [MARK]: v.literal('ref'), id: v.string() }),
  v.object({ [MARK]: v.literal('actor'), actor: actorDescriptorSchema }),
  v.object({ [MARK]: v.literal('value'), handler: v.string(), data: v.unknown() }),
]);

function reviveMarker(record: Record<string, unknown>, context: DecodeContext): unknown {
  const checked = v.safeParse(markerSchema, record, { abortEarly: true });
  if (!checked.success) throw new ProtocolError(`a value holds a malformed '${MARK}' marker: ${describeIssue(checked.issues, undefined)}`);
  const marker: Marker = checked.output;
  switch (marker[MARK]) {
    case 'ref':
      return new ObjectRef(marker.id);
    case 'actor':
      return context.reviveActor(marker.actor);
    case 'value': {
      const handler = valueHandler(marker.handler);
      if (!handler) {
        throw new RayboxUsageError(
          `A value of kind '${marker.handler}' arrived, but this realm has no handler for it. Import the module that registers it.`,
        );
      }
      return handler.deserialize(marker.data);
    }
  }
}

/** Handlers whose `ready()` has resolved in this realm: their values decode synchronously. */
const readyHandlers = new Set<string>();

/** Awaits `ready()` of the handlers an encoded value needs, before it is decoded. */
export async function handlersReady(names: string[] | undefined): Promise<void> {
  if (!names) return;
  for (const name of names) {
    if (readyHandlers.has(name)) continue;
    await valueHandler(name)?.ready?.();
    readyHandlers.add(name);
  }
}

/** True when every handler in `names` is known to be ready, so decoding need not wait. */
export function handlersAreReady(names: string[] | undefined): boolean {
  return !names || names.every((name) => readyHandlers.has(name) || valueHandler(name)?.ready === undefined);
}
