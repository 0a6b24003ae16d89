/**
 * A stand-in for CanvasRenderingContext2D in Node, where there is no DOM: every method call is
 * recorded (name and arguments) and every property write is kept, so a test can check what a
 * renderer drew without a real canvas.
 */
export interface DrawCall {
  method: string;
  args: unknown[];
}

export interface FakeCanvasContext {
  ctx: CanvasRenderingContext2D;
  calls: DrawCall[];
}

export function fakeCanvasContext(width = 600, height = 400): FakeCanvasContext {
  const calls: DrawCall[] = [];
  const canvas = { width, height };
  const properties = new Map<PropertyKey, unknown>([['canvas', canvas]]);
  const ctx = new Proxy(
    {},
    {
      get(_target, key) {
        if (properties.has(key)) return properties.get(key);
        if (typeof key === 'symbol') return undefined;
        return (...args: unknown[]) => {
          calls.push({ method: key, args });
        };
      },
      set(_target, key, value: unknown) {
        properties.set(key, value);
        return true;
      },
    },
  ) as unknown as CanvasRenderingContext2D;
  return { ctx, calls };
}
