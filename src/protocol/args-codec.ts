import type { EncodedArgs, EncodedPayload } from '../core/encoded.ts';
import { isObjectRef } from '../core/object-ref.ts';
import { encodeValue, type EncodeOptions } from './value-codec.ts';

/**
 * Encodes a task's arguments where it is submitted. A ref given as a top-level argument is a
 * dependency (the task waits for it and receives its value); a ref nested inside an argument
 * travels as a ref, as in Ray.
 */
export function encodeArgs(args: unknown[], taskName: string): EncodedArgs {
  const values: unknown[] = new Array<unknown>(args.length);
  let refArgs: (string | null)[] | null = null;
  let nestedRefs: string[] | undefined;
  let special = false;
  let handlers: string[] | undefined;
  const onRef = (id: string) => void (nestedRefs ??= []).push(id);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (isObjectRef(arg)) {
      (refArgs ??= new Array<string | null>(args.length).fill(null))[i] = arg.id;
      values[i] = null;
      continue;
    }
    if (isPrimitive(arg)) {
      values[i] = arg;
      continue;
    }
    const encoded = encodeValue(arg, { onRef, label: `Argument ${i + 1} of '${taskName}'` });
    values[i] = encoded.value;
    special ||= encoded.special;
    handlers = mergeHandlers(handlers, encoded.handlers);
  }
  return { values, refArgs, nestedRefs: nestedRefs ?? NO_REFS, special, handlers };
}

/** Most tasks pass no nested refs: they share one empty list instead of holding one each while queued. */
const NO_REFS: readonly string[] = Object.freeze([]);

/** Encodes one value to store or send, keeping what the receiver needs to decode it. */
export function encodePayload(value: unknown, options: EncodeOptions = {}): EncodedPayload & { transfer: ArrayBuffer[] } {
  if (isPrimitive(value)) return { value, special: false, handlers: undefined, size: primitiveSize(value), transfer: [] };
  const encoded = encodeValue(value, options);
  return { value: encoded.value, special: encoded.special, handlers: encoded.handlers, size: encoded.size, transfer: encoded.transfer };
}

/** A value that travels as it is: nothing to encode, nothing to transfer. */
export function isPrimitive(value: unknown): value is string | number | boolean | bigint | undefined {
  return typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol';
}

/** The bytes a primitive is counted as in the object store. */
export function primitiveSize(value: string | number | boolean | bigint | undefined): number {
  return typeof value === 'string' ? 2 * value.length : 8;
}

export function mergeHandlers(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!b) return a;
  if (!a) return b;
  return [...new Set([...a, ...b])];
}
