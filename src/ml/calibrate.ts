import type { BackendName } from './backend-name.ts';
import { median } from './backend-choice.ts';
import type { Tf } from './tf-module.ts';

/** Matrix size of the calibration matmul: big enough for a GPU to matter, small enough to be quick. */
const SIZE = 256;
const WARMUP_RUNS = 2;
const TIMED_RUNS = 5;

/**
 * Median milliseconds for one SIZE×SIZE matmul on `backend`, readback included (a task's result
 * always comes back to JavaScript, so latency counts). Warm-up runs absorb shader compilation and
 * first uploads. The backend must already be initialised; it is left as the current one.
 */
export async function timeMatmul(tf: Tf, backend: BackendName): Promise<number> {
  await tf.setBackend(backend);
  const [a, b] = tf.tidy(() => [tf.randomUniform([SIZE, SIZE]), tf.randomUniform([SIZE, SIZE])] as const);
  try {
    const once = async (): Promise<number> => {
      const start = performance.now();
      const product = tf.matMul(a, b);
      await product.data();
      product.dispose();
      return performance.now() - start;
    };
    for (let i = 0; i < WARMUP_RUNS; i++) await once();
    const times: number[] = [];
    for (let i = 0; i < TIMED_RUNS; i++) times.push(await once());
    return median(times);
  } finally {
    a.dispose();
    b.dispose();
  }
}
