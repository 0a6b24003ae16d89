import type { Tensor, Tf } from '../models/tf-types.ts';

/**
 * Rescales `grads` so their global L2 norm is at most `maxNorm` (tf.clip_by_global_norm), and
 * returns the rescaled gradients with the norm before clipping. Call inside `tf.tidy`.
 */
export function clipByGlobalNorm(tf: Tf, grads: Record<string, Tensor>, maxNorm: number | null): { grads: Record<string, Tensor>; norm: Tensor } {
  const list = Object.values(grads);
  const norm = tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))));
  if (maxNorm === null) return { grads, norm };
  const scale = tf.minimum(tf.scalar(1), tf.div(tf.scalar(maxNorm), tf.add(norm, 1e-6)));
  const clipped: Record<string, Tensor> = {};
  for (const [name, g] of Object.entries(grads)) clipped[name] = tf.mul(g, scale);
  return { grads: clipped, norm };
}
