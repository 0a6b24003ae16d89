import { decodeFloat16, encodeFloat16 } from './float16.ts';
import type { Leaf } from './reduce-ops.ts';

/**
 * How `allreduce` leaves travel between workers: as they are, as float16, or sparse (the indices
 * and values of the entries sent). Gradients are sent compressed when the trainer's
 * `gradientCompression` asks; other values always travel dense.
 */
export type WireLeaf =
  | { kind: 'dense'; data: Leaf }
  | { kind: 'f16'; data: Uint16Array }
  | { kind: 'sparse'; length: number; indices: Uint32Array; values: Float32Array };

/** The trainer's `gradientCompression`: float16, or the largest `topK` fraction of entries with error feedback. */
export type GradientCompression = 'float16' | { topK: number };

/** What a value's leaves cost on the wire, and what they would cost dense. */
export function wireBytes(leaves: readonly WireLeaf[]): number {
  let bytes = 0;
  for (const leaf of leaves) bytes += leaf.kind === 'sparse' ? leaf.indices.byteLength + leaf.values.byteLength : leaf.data.byteLength;
  return bytes;
}

export function denseBytes(leaves: readonly WireLeaf[]): number {
  let bytes = 0;
  for (const leaf of leaves) bytes += leaf.kind === 'dense' ? leaf.data.byteLength : 4 * (leaf.kind === 'sparse' ? leaf.length : leaf.data.length);
  return bytes;
}

/** The buffers of `leaves`, to transfer rather than copy. */
export function buffersOf(leaves: readonly WireLeaf[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const leaf of leaves) {
    const arrays = leaf.kind === 'sparse' ? [leaf.indices, leaf.values] : [leaf.data];
    for (const a of arrays) if (a.buffer instanceof ArrayBuffer && !out.includes(a.buffer)) out.push(a.buffer);
  }
  return out;
}

export function dense(leaves: Leaf[]): WireLeaf[] {
  return leaves.map((data) => ({ kind: 'dense', data }));
}

/** The numbers of a leaf as it arrived. */
export function decodeLeaf(leaf: WireLeaf): Leaf {
  switch (leaf.kind) {
    case 'dense':
      return leaf.data;
    case 'f16':
      return decodeFloat16(leaf.data);
    case 'sparse': {
      const out = new Float32Array(leaf.length);
      for (let i = 0; i < leaf.indices.length; i++) out[leaf.indices[i]!] = leaf.values[i]!;
      return out;
    }
  }
}

/** The entries of `values` whose magnitude is among the `k` largest, in index order. */
function topK(values: Float32Array, k: number): { indices: Uint32Array; values: Float32Array } {
  const magnitudes = values.map(Math.abs).sort();
  const threshold = magnitudes[values.length - k] ?? 0;
  const indices = new Uint32Array(k);
  const picked = new Float32Array(k);
  let n = 0;
  // Strictly larger first, then ties, so exactly k are taken however many equal the threshold.
  for (let i = 0; i < values.length && n < k; i++) {
    if (Math.abs(values[i]!) > threshold) indices[n++] = i;
  }
  for (let i = 0; i < values.length && n < k; i++) {
    if (Math.abs(values[i]!) === threshold) indices[n++] = i;
  }
  indices.sort();
  for (let i = 0; i < k; i++) picked[i] = values[indices[i]!]!;
  return { indices, values: picked };
}

/**
 * One worker's compression of its gradients, step after step. With top-k, what is not sent is
 * kept (error feedback) and added to the next step's gradient, so every entry is sent eventually
 * and the sum of what was sent tracks the sum of the gradients.
 */
export class GradientEncoder {
  readonly #compression: GradientCompression;
  readonly #residuals: Array<Float32Array | undefined> = [];

  constructor(compression: GradientCompression) {
    this.#compression = compression;
  }

  /** The leaves as they go on the wire; only float32 leaves are compressed. */
  encode(leaves: Leaf[]): WireLeaf[] {
    return leaves.map((leaf, i): WireLeaf => {
      if (!(leaf instanceof Float32Array)) return { kind: 'dense', data: leaf };
      if (this.#compression === 'float16') return { kind: 'f16', data: encodeFloat16(leaf) };
      const residual = this.#residuals[i];
      if (residual && residual.length === leaf.length) for (let j = 0; j < leaf.length; j++) leaf[j] = leaf[j]! + residual[j]!;
      const k = Math.min(leaf.length, Math.max(1, Math.ceil(this.#compression.topK * leaf.length)));
      // Sparse costs 8 bytes an entry against dense's 4: a small leaf (a bias) goes whole, nothing kept.
      if (2 * k >= leaf.length) {
        this.#residuals[i] = undefined;
        return { kind: 'dense', data: leaf };
      }
      const sent = topK(leaf, k);
      // What is left is what was not sent: the leaf itself, with the sent entries zeroed.
      for (const index of sent.indices) leaf[index] = 0;
      this.#residuals[i] = leaf;
      return { kind: 'sparse', length: leaf.length, ...sent };
    });
  }
}

/**
 * A reduced result as it goes back to the workers that contributed: float16 again when the
 * gradients came as float16 (the sender keeps the same rounded values, so every worker holds the
 * same result); sparse, losslessly, when most entries are zero (top-k's union); dense otherwise.
 */
export function encodeResult(leaves: Leaf[], compression: GradientCompression | null): WireLeaf[] {
  return leaves.map((leaf): WireLeaf => {
    if (compression === null || !(leaf instanceof Float32Array)) return { kind: 'dense', data: leaf };
    if (compression === 'float16') return { kind: 'f16', data: encodeFloat16(leaf) };
    let nonZero = 0;
    for (let i = 0; i < leaf.length; i++) if (leaf[i] !== 0) nonZero++;
    // Sparse costs 8 bytes an entry against dense's 4.
    if (nonZero * 2 >= leaf.length) return { kind: 'dense', data: leaf };
    const indices = new Uint32Array(nonZero);
    const values = new Float32Array(nonZero);
    for (let i = 0, n = 0; i < leaf.length; i++) {
      if (leaf[i] !== 0) {
        indices[n] = i;
        values[n++] = leaf[i]!;
      }
    }
    return { kind: 'sparse', length: leaf.length, indices, values };
  });
}
