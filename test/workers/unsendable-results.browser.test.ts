/**
 * A task's result that cannot travel to the head becomes a TaskError that says what cannot be
 * sent and what to send instead; the worker that ran it goes on serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, init, onEvent, remote, shutdown, type ObjectRef, type RayboxEvent } from '../../src/index.ts';

declare const raybox: typeof import('../../src/index.ts');

beforeAll(async () => {
  await init({ numWorkers: 1 });
});
afterAll(async () => {
  await shutdown();
});

const whereAmI = remote(() => raybox.getRuntimeContext().workerId);

/** The error `get` rejects with, as name and message. */
async function failureOf(ref: ObjectRef<unknown>): Promise<{ name: string; message: string }> {
  try {
    await get(ref, { timeout: 20 });
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('get() resolved');
}

describe('results that cannot be sent', () => {
  it('an OffscreenCanvas fails its task with advice, and the same worker runs the next task', async () => {
    const worker = await get(whereAmI.remote(), { timeout: 20 });
    const canvas = remote(() => new OffscreenCanvas(4, 4));
    const failure = await failureOf(canvas.remote());
    expect(failure.name).toBe('TaskError');
    expect(failure.message).toContain('OffscreenCanvas, which cannot be sent');
    expect(failure.message).toContain('getImageData');
    expect(await get(whereAmI.remote(), { timeout: 20 })).toBe(worker);
  });

  it("the worker's global object fails its task, and the same worker runs the next task", async () => {
    const worker = await get(whereAmI.remote(), { timeout: 20 });
    const global = remote(() => self);
    const failure = await failureOf(global.remote());
    expect(failure.name).toBe('TaskError');
    expect(failure.message).toContain("the realm's global object");
    expect(await get(whereAmI.remote(), { timeout: 20 })).toBe(worker);
  });

  it('a put() of a value postMessage refuses fails that object, saying why, and the task goes on', async () => {
    const putter = remote(() => {
      const ref = raybox.put(new (class Holder {
        callback = () => 1;
      })());
      return [ref, 'went on'];
    });
    const [inner, after] = await get(putter.remote() as ObjectRef<[ObjectRef<unknown>, string]>, { timeout: 20 });
    expect(after).toBe('went on');
    const failure = await failureOf(inner);
    expect(failure.name).toBe('RayboxUsageError');
    expect(failure.message).toContain('The value given to put() cannot be sent to the head (DataCloneError');
    expect(failure.message).toContain('Put plain data');
  });

  it('a value postMessage refuses (a class instance holding a function) fails its task, not the worker', async () => {
    const worker = await get(whereAmI.remote(), { timeout: 20 });
    const holder = remote(() => new (class Holder {
      callback = () => 1;
    })());
    const both = [holder.remote(), whereAmI.remote()];
    const failure = await failureOf(both[0] as ObjectRef<unknown>);
    expect(failure.name).toBe('TaskError');
    expect(failure.message).toContain('cannot be sent to the head (DataCloneError');
    expect(failure.message).toContain('plain data');
    // The task sent in the same batch still arrived.
    expect(await get(both[1] as ObjectRef<unknown>, { timeout: 20 })).toBe(worker);
    expect(await get(whereAmI.remote(), { timeout: 20 })).toBe(worker);
  });
});

describe('class instances', () => {
  it('arrive as plain objects with their data, and a warning naming the class comes once', async () => {
    const events: RayboxEvent[] = [];
    const stop = onEvent((event) => events.push(event));
    const point = remote((x: number) => {
      class Point {
        constructor(
          readonly x: number,
          readonly y: number,
        ) {}
        norm() {
          return Math.hypot(this.x, this.y);
        }
      }
      return new Point(x, 4);
    });
    const first = (await get(point.remote(3), { timeout: 20 })) as { x: number; y: number; norm?: unknown };
    const second = (await get(point.remote(6), { timeout: 20 })) as { x: number; y: number };
    stop();
    expect(first).toEqual({ x: 3, y: 4 });
    expect(first.norm).toBeUndefined();
    expect(second).toEqual({ x: 6, y: 4 });
    const warnings = events.filter((e) => e.type === 'log' && e.level === 'warn' && e.text.includes('class Point'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.type === 'log' && warnings[0].text).toContain('without its class or methods');
    // Maps, Dates and other built-ins keep their type: no warning for them.
    const builtins = await get(remote(() => [new Map([[1, 2]]), new Date(0)]).remote(), { timeout: 20 });
    expect(builtins[0]).toBeInstanceOf(Map);
    expect(events.filter((e) => e.type === 'log' && e.level === 'warn')).toHaveLength(1);
  });
});
