/**
 * Structured values as bytes, for a DataChannel where structured clone does not reach. A value
 * becomes a JSON header, with typed arrays and ArrayBuffers lifted out into a binary section
 * (no base64, no per-element cost), and the few things JSON cannot say (undefined, NaN and
 * infinities, -0, bigint, Date, Map, Set, Error) tagged. Frame layout:
 *
 *   u32 magic | u32 header length | header (UTF-8 JSON) | padding to 8 | buffers, each 8-aligned
 *
 * The header lists each buffer's kind, offset and length, so the receiver rebuilds typed arrays
 * as views on the received bytes without copying them again.
 */

import { safeParse } from 'valibot';
import { errorFromData, errorToData, RayboxError, registerErrorClasses } from '../core/errors.ts';
import { errorDataSchema } from '../protocol/messages.ts';

const MAGIC = 0x52425831; // "RBX1"
/** A tagged value is an object with this single key: a control character no JSON producer uses by chance. */
const TAG = '\u0001';

const typedArrayKinds = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type TypedArrayKind = keyof typeof typedArrayKinds;
type BufferKind = TypedArrayKind | 'ArrayBuffer' | 'DataView';

interface BufferEntry {
  kind: BufferKind;
  offset: number;
  length: number;
}

/** Bytes from a peer that are not a frame `pack` made: the peer is broken, stale or hostile. */
export class WireDecodeError extends RayboxError {
  override readonly name = 'WireDecodeError';
}
registerErrorClasses(WireDecodeError);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * True when JSON carries `value` exactly: finite numbers (not -0), strings, booleans, null, and
 * arrays and plain objects of those, nothing else (no undefined, which JSON drops or turns to null).
 */
function isPlainJson(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (depth > 64) return false;
      if (Array.isArray(value)) {
        for (const item of value) if (!isPlainJson(item, depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) {
        if (key === TAG || !isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/** Packs a value into one frame. Throws on values that cannot travel (functions, symbols, cycles). */
export function pack(value: unknown): Uint8Array {
  const buffers: Uint8Array[] = [];
  const entries: BufferEntry[] = [];
  let binaryLength = 0;
  const seen = new Set<object>();

  const lift = (kind: BufferKind, bytes: Uint8Array): unknown => {
    const offset = binaryLength;
    entries.push({ kind, offset, length: bytes.byteLength });
    buffers.push(bytes);
    binaryLength += align8(bytes.byteLength);
    return { [TAG]: 'b', i: entries.length - 1 };
  };

  const encode = (v: unknown): unknown => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return v;
      case 'number':
        if (Number.isFinite(v)) return Object.is(v, -0) ? { [TAG]: 'n', v: '-0' } : v;
        return { [TAG]: 'n', v: String(v) };
      case 'undefined':
        return { [TAG]: 'u' };
      case 'bigint':
        return { [TAG]: 'i', v: v.toString() };
      case 'function':
      case 'symbol':
        throw new TypeError(`a ${typeof v} cannot be sent to a peer`);
    }
    if (v === null) return null;
    const object = v as object;
    if (ArrayBuffer.isView(object)) {
      const kind: BufferKind = object instanceof DataView ? 'DataView' : (object.constructor.name as TypedArrayKind);
      if (kind !== 'DataView' && !(kind in typedArrayKinds)) throw new TypeError(`a ${kind} cannot be sent to a peer`);
      return lift(kind, new Uint8Array(object.buffer, object.byteOffset, object.byteLength));
    }
    if (object instanceof ArrayBuffer) return lift('ArrayBuffer', new Uint8Array(object));
    if (seen.has(object)) throw new TypeError('a value with a cycle cannot be sent to a peer');
    seen.add(object);
    try {
      if (Array.isArray(object)) return object.map(encode);
      if (object instanceof Date) return { [TAG]: 'd', v: object.getTime() };
      if (object instanceof Map) return { [TAG]: 'm', v: [...object].map(([k, x]) => [encode(k), encode(x)]) };
      if (object instanceof Set) return { [TAG]: 's', v: [...object].map(encode) };
      // Errors travel as everywhere else: as ErrorData, rebuilt as their own class if registered.
      if (object instanceof Error) return { [TAG]: 'e', v: encode(errorToData(object)) };
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(object)) setOwn(out, key, encode((object as Record<string, unknown>)[key]));
      return out;
    } finally {
      seen.delete(object);
    }
  };

  // Most messages are plain JSON already (small control and task items): skip the copying walk.
  const body = isPlainJson(value, 0) ? value : encode(value);
  const header = encoder.encode(JSON.stringify({ v: body, b: entries }));
  const headerEnd = 8 + header.byteLength;
  const binaryStart = align8(headerEnd);
  const frame = new Uint8Array(binaryStart + binaryLength);
  const view = new DataView(frame.buffer);
  view.setUint32(0, MAGIC);
  view.setUint32(4, header.byteLength);
  frame.set(header, 8);
  entries.forEach((entry, i) => frame.set(buffers[i] as Uint8Array, binaryStart + entry.offset));
  return frame;
}

function listOf(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new WireDecodeError('a tagged value is malformed');
  return value;
}

/** Unpacks a frame made by `pack`; throws WireDecodeError on anything malformed. */
export function unpack(frame: Uint8Array): unknown {
  if (frame.byteLength < 8) throw new WireDecodeError('frame too short');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (view.getUint32(0) !== MAGIC) throw new WireDecodeError('not a raybox frame');
  const headerLength = view.getUint32(4);
  if (8 + headerLength > frame.byteLength) throw new WireDecodeError('header runs past the frame');
  let header: { v: unknown; b: BufferEntry[] };
  const text = decoder.decode(frame.subarray(8, 8 + headerLength));
  try {
    header = JSON.parse(text) as { v: unknown; b: BufferEntry[] };
  } catch {
    throw new WireDecodeError('header is not JSON');
  }
  if (typeof header !== 'object' || header === null || !Array.isArray(header.b)) throw new WireDecodeError('header has no buffer table');
  // No buffers and no tag anywhere (JSON writes the tag character as \u0001): the JSON is the value.
  if (header.b.length === 0 && !text.includes('\\u0001')) return header.v;
  const binaryStart = align8(8 + headerLength);
  const binary = frame.subarray(binaryStart);
  // The frame's own bytes are copied once into an aligned buffer, so typed arrays can view it.
  const aligned = binary.byteOffset % 8 === 0 ? binary : binary.slice();

  const buffer = (index: unknown): unknown => {
    const entry = typeof index === 'number' ? header.b[index] : undefined;
    if (!entry || typeof entry.offset !== 'number' || typeof entry.length !== 'number' || entry.offset < 0 || entry.length < 0 || entry.offset + entry.length > aligned.byteLength) {
      throw new WireDecodeError('a buffer entry is out of bounds');
    }
    const start = aligned.byteOffset + entry.offset;
    if (entry.kind === 'ArrayBuffer') return aligned.buffer.slice(start, start + entry.length);
    if (entry.kind === 'DataView') return new DataView(aligned.buffer as ArrayBuffer, start, entry.length);
    const Kind = typedArrayKinds[entry.kind];
    if (!Kind) throw new WireDecodeError(`unknown buffer kind ${String(entry.kind)}`);
    if (entry.length % Kind.BYTES_PER_ELEMENT !== 0) throw new WireDecodeError('buffer length does not fit its kind');
    return new Kind(aligned.buffer as ArrayBuffer, start, entry.length / Kind.BYTES_PER_ELEMENT);
  };

  const decode = (v: unknown, depth: number): unknown => {
    if (depth > 256) throw new WireDecodeError('value nested too deeply');
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) return v.map((x) => decode(x, depth + 1));
    const record = v as Record<string, unknown>;
    const tag = record[TAG];
    if (tag !== undefined) {
      switch (tag) {
        case 'b':
          return buffer(record['i']);
        case 'u':
          return undefined;
        case 'n':
          return record['v'] === '-0' ? -0 : Number(record['v']);
        case 'i': {
          const digits = record['v'];
          if (typeof digits !== 'string' || !/^-?\d{1,10000}$/.test(digits)) throw new WireDecodeError('a bigint is malformed');
          return BigInt(digits);
        }
        case 'd':
          return new Date(Number(record['v']));
        case 'm':
          return new Map(listOf(record['v']).map((pair) => {
            const [k, x] = listOf(pair);
            return [decode(k, depth + 1), decode(x, depth + 1)];
          }));
        case 's':
          return new Set(listOf(record['v']).map((x) => decode(x, depth + 1)));
        case 'e': {
          const data = safeParse(errorDataSchema, decode(record['v'], depth + 1));
          if (!data.success) throw new WireDecodeError('an error is malformed');
          return errorFromData(data.output);
        }
        default:
          throw new WireDecodeError(`unknown tag ${JSON.stringify(tag)}`);
      }
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(record)) setOwn(out, key, decode(record[key], depth + 1));
    return out;
  };
  return decode(header.v, 0);
}

/** Sets a property as data: a key named __proto__ stays a plain property, never a prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
