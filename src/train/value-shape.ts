import { loadedTf } from '../ml/tf-module.ts';
import { TrainError } from './errors.ts';
import type { Leaf } from './reduce-ops.ts';

/**
 * What `allreduce` takes apart and puts back together: typed arrays and tensors, alone or nested
 * in arrays and plain objects. The leaves travel; the shape stays with the caller, so the result
 * has the caller's structure and types on every worker.
 */

/** What `allreduce` needs of a tensor; checked structurally, since only src/ml imports tf. */
interface TensorLike {
  readonly shape: number[];
  readonly dtype: string;
  data(): Promise<ArrayLike<number>>;
}

type Shape =
  | { kind: 'array'; type: 'Float32Array' | 'Float64Array' | 'Int32Array' }
  | { kind: 'tensor'; shape: number[]; dtype: 'float32' | 'int32' }
  | { kind: 'list'; items: Shape[] }
  | { kind: 'object'; keys: string[]; items: Shape[] };

export function isTensorLike(value: unknown): value is TensorLike {
  return typeof value === 'object' && value !== null && 'dataSync' in value && 'shape' in value && 'dtype' in value && 'data' in value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}

/**
 * The leaves of `value` as private copies (they may be transferred and are reduced in place),
 * and its shape to rebuild it.
 */
export async function takeApart(value: unknown): Promise<{ leaves: Leaf[]; shape: Shape }> {
  const leaves: Leaf[] = [];
  const walk = async (v: unknown, path: string): Promise<Shape> => {
    if (v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array) {
      leaves.push(v.slice());
      return { kind: 'array', type: v.constructor.name as 'Float32Array' | 'Float64Array' | 'Int32Array' };
    }
    if (isTensorLike(v)) {
      if (v.dtype !== 'float32' && v.dtype !== 'int32') throw new TrainError(`allreduce: the tensor at ${path} is ${v.dtype}; give float32 or int32 tensors.`);
      const data = await v.data();
      leaves.push(v.dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data));
      return { kind: 'tensor', shape: [...v.shape], dtype: v.dtype };
    }
    if (Array.isArray(v)) {
      const items: Shape[] = [];
      for (const [i, item] of v.entries()) items.push(await walk(item, `${path}[${i}]`));
      return { kind: 'list', items };
    }
    if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
      // Insertion order, not sorted: gradient maps are keyed by variable names, which differ between
      // workers (dense_Dense1 vs dense_Dense4) but come in the same order when models are built alike.
      const keys = Object.keys(v);
      const items: Shape[] = [];
      for (const key of keys) items.push(await walk((v as Record<string, unknown>)[key], `${path}.${key}`));
      return { kind: 'object', keys, items };
    }
    throw new TrainError(
      `allreduce: ${path} is a ${describe(v)}. Give a Float32Array, Float64Array, Int32Array or a tensor, or an array or plain object of them.`,
    );
  };
  const shape = await walk(value, 'value');
  return { leaves, shape };
}

/** Rebuilds a value of `shape` from reduced leaves (in the order `takeApart` listed them). */
export function putTogether(shape: Shape, leaves: Leaf[]): unknown {
  let next = 0;
  const build = (s: Shape): unknown => {
    switch (s.kind) {
      case 'array': {
        const leaf = leaves[next++]!;
        if (s.type === 'Float32Array') return leaf instanceof Float32Array ? leaf : Float32Array.from(leaf);
        if (s.type === 'Float64Array') return leaf instanceof Float64Array ? leaf : Float64Array.from(leaf);
        return leaf instanceof Int32Array ? leaf : Int32Array.from(leaf);
      }
      case 'tensor': {
        const tf = loadedTf();
        if (!tf) throw new TrainError('allreduce: TensorFlow.js is not loaded in this worker, so the result cannot be a tensor.');
        return tf.tensor(leaves[next++]!, s.shape, s.dtype);
      }
      case 'list':
        return s.items.map(build);
      case 'object':
        return Object.fromEntries(s.keys.map((key, i) => [key, build(s.items[i]!)]));
    }
  };
  return build(shape);
}
