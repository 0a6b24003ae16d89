/**
 * Real workers: a burst of results, handled in slices, reaches every caller in order; the worker's
 * libraries load only before a function that names them, and a function that reads one without
 * naming it gets an error that says what to do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, init, remote, shutdown } from '../../src/index.ts';

declare const raybox: Record<string, unknown>;

beforeAll(async () => {
  await init({ numWorkers: 1 });
});
afterAll(async () => {
  await shutdown();
});

describe('a burst of replies', () => {
  it('20,000 tasks submitted at once: every result, each to its own ref, in order', async () => {
    const identity = remote((i: number) => i * 2);
    const refs = Array.from({ length: 20_000 }, (_, i) => identity.remote(i));
    const values = await get(refs);
    expect(values).toEqual(Array.from({ length: 20_000 }, (_, i) => i * 2));
  });
});

describe('worker libraries load on first use', () => {
  // Reads the global by a name it is given, so its own source names no library.
  const loadedState = remote((globalName: string, members: string[]) => {
    const api = (globalThis as Record<string, unknown>)[globalName] as object;
    return members.map((m) => (Object.getOwnPropertyDescriptor(api, m)?.get === undefined ? 'loaded' : 'not loaded'));
  });
  const readMember = remote((globalName: string, member: string) => {
    const api = (globalThis as Record<string, unknown>)[globalName] as Record<string, unknown>;
    return typeof api[member];
  });

  it('a worker that ran only plain tasks has not loaded Data, Serve, Tune or RLlib', async () => {
    expect(await get(loadedState.remote('raybox', ['data', 'serve', 'tune', 'rl']))).toEqual(['not loaded', 'not loaded', 'not loaded', 'not loaded']);
  });

  it('reading one without naming it fails with LazyApiNotLoadedError, which says what to write', async () => {
    await expect(get(readMember.remote('raybox', 'tune'))).rejects.toThrow(/raybox\.tune is not loaded in this worker yet.*mentions 'raybox\.tune'/s);
  });

  it('a function that names raybox.data gets it loaded first; the others stay unloaded', async () => {
    const usesData = remote(() => typeof raybox.data === 'object' && typeof (raybox.data as { worker: { run: unknown } }).worker.run);
    expect(await get(usesData.remote())).toBe('function');
    expect(await get(loadedState.remote('raybox', ['data', 'serve', 'tune', 'rl']))).toEqual(['loaded', 'not loaded', 'not loaded', 'not loaded']);
  });
});
