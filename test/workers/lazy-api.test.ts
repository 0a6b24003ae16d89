import { describe, expect, it } from 'vitest';
import { registerValueHandler, valueHandler } from '../../src/protocol/value-handler.ts';
import { LazyApi, LazyApiNotLoadedError } from '../../src/workers/entry/lazy-api.ts';

function setup() {
  const loads: string[] = [];
  const loader = (name: string) => async () => {
    loads.push(name);
    return { name };
  };
  const lazy = new LazyApi({ data: loader('data'), serve: loader('serve'), tune: loader('tune') });
  const raybox: Record<string, unknown> = { get: () => 'get' };
  lazy.install(raybox);
  return { lazy, raybox, loads };
}

describe('LazyApi (worker libraries loaded on first use)', () => {
  it('a plain task needs nothing, whatever else it mentions', () => {
    const { lazy } = setup();
    expect(lazy.prepare('(x) => x + 1')).toBeNull();
    expect(lazy.prepare('async (r) => raybox.get(r)')).toBeNull();
    expect(lazy.prepare('(x) => x.data.serve')).toBeNull();
  });

  it('a source naming raybox.<member> loads exactly that member before it runs', async () => {
    const { lazy, raybox, loads } = setup();
    expect(lazy.needs('class A { constructor() { this.r = raybox.serve.replica(1); } }')).toEqual(['serve']);
    expect(lazy.needs('(i, s) => raybox . data.worker.run(i, s)')).toEqual(['data']);
    const load = lazy.prepare('(i, s) => raybox.data.worker.run(i, s)');
    expect(load).not.toBeNull();
    await load?.();
    expect(loads).toEqual(['data']);
    expect(raybox['data']).toEqual({ name: 'data' });
    // Loaded once: later sources that name it need nothing.
    expect(lazy.prepare('() => raybox.data')).toBeNull();
  });

  it('a source using raybox other than by a member loads every member', async () => {
    const { lazy, loads } = setup();
    expect(lazy.needs('() => { const { tune } = raybox; return tune; }').sort()).toEqual(['data', 'serve', 'tune']);
    await lazy.load(lazy.needs('(k) => raybox[k]'));
    expect(loads.sort()).toEqual(['data', 'serve', 'tune']);
  });

  it('reading a member before it loaded throws an error that says what to do', () => {
    const { raybox } = setup();
    expect(() => raybox['tune']).toThrow(LazyApiNotLoadedError);
    expect(() => raybox['tune']).toThrow(/mentions 'raybox.tune'/);
    expect(raybox['get']).toBeTypeOf('function');
  });

  it('loads a member once however many ask at the same time', async () => {
    const { lazy, loads } = setup();
    await Promise.all([lazy.load(['data']), lazy.load(['data', 'serve']), lazy.load(['serve'])]);
    expect(loads.sort()).toEqual(['data', 'serve']);
    expect(lazy.isLoaded('data') && lazy.isLoaded('serve') && !lazy.isLoaded('tune')).toBe(true);
  });

  it('a loader that fails fails the task that needed it, and a later task tries again', async () => {
    let attempts = 0;
    const lazy = new LazyApi({
      data: async () => {
        attempts++;
        if (attempts === 1) throw new Error('network down');
        return { ok: true };
      },
    });
    await expect(lazy.load(['data'])).rejects.toThrow('network down');
    await lazy.load(['data']);
    expect(attempts).toBe(2);
    expect(lazy.isLoaded('data')).toBe(true);
  });

  it('a value of a kind a member decodes loads that member when it arrives, before it is decoded', async () => {
    const kind = 'test.lazy-arrival';
    const loads: string[] = [];
    const lazy = new LazyApi({
      train: {
        load: async () => {
          loads.push('train');
          // What the library's module does when it loads: registers the real handler of its values.
          registerValueHandler<{ n: number }, number>({ name: kind, canHandle: (_v): _v is { n: number } => false, serialize: (v) => ({ data: v.n, transfer: [] }), deserialize: (n) => ({ n }) });
          return { train: true };
        },
        decodes: [kind],
      },
    });
    const standIn = valueHandler(kind);
    expect(loads).toEqual([]);
    await standIn?.ready?.();
    expect(loads).toEqual(['train']);
    expect(lazy.isLoaded('train')).toBe(true);
    expect(standIn?.deserialize(7)).toEqual({ n: 7 });
  });
});
