/** Returned by `withTimeout` when the time ran out before the promise settled. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * Races `promise` against a timer. Backend initialisations can hang forever (the threaded wasm
 * build does in some bundles, a GPU driver may never answer), and a hang must become a fallback
 * rather than a realm that never gets tensors. The promise itself cannot be cancelled; the caller
 * decides how to abandon it.
 */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
