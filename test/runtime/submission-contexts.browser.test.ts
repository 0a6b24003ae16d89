import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../support/debug-on-failure.ts';
import { get, init, remote, shutdown, TaskCancelledError, wait, type ObjectRef } from '../../src/index.ts';
import { driver } from '../../src/runtime/session.ts';

declare const raybox: typeof import('../../src/index.ts');

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await shutdown();
});

/** Whether `ref`'s task ended cancelled. */
async function cancelledOf(ref: ObjectRef<unknown>): Promise<boolean> {
  try {
    await get(ref, { timeout: 20 });
    return false;
  } catch (error) {
    return error instanceof TaskCancelledError;
  }
}

describe('submission contexts (what "Interrupt" cancels)', () => {
  it("cancels a context's unfinished tasks and the tasks they started, later submissions in it, and nothing else", async () => {
    const forever = remote(() => new Promise(() => {}), { name: 'forever' });
    const quick = remote((x: number) => x, { name: 'quick' });
    // A task that starts a nested one, which then runs forever: the nested one inherits the context.
    const parent = remote(
      async () => {
        const child = raybox.remote(() => new Promise(() => {}), { name: 'nested' }).remote();
        await raybox.wait([child], { timeout: 0.05 });
        return raybox.taskId();
      },
      { name: 'parent' },
    );
    const d = driver();
    d.setSubmissionContext('cell-a');
    const done = quick.remote(1);
    const stuck = forever.remote();
    const parentRef = parent.remote();
    d.setSubmissionContext('cell-b');
    const other = quick.remote(2);
    d.setSubmissionContext('cell-a');
    expect(await get(done)).toBe(1);
    await get(parentRef);
    expect(d.contextOf(done.id.split('.')[0] ?? '')).toBe('cell-a');

    const cancelled = d.cancelContext('cell-a');
    // The running forever task and the nested one; not the finished ones.
    expect(cancelled).toHaveLength(2);
    expect(await cancelledOf(stuck)).toBe(true);
    // Code of the interrupted cell that goes on: what it submits in the context is cancelled.
    const late = quick.remote(3);
    expect(await cancelledOf(late)).toBe(true);
    // Another cell's tasks run as before.
    d.setSubmissionContext('cell-c');
    expect(await get([other, quick.remote(4)])).toEqual([2, 4]);
    d.setSubmissionContext(null);
    const { ready } = await wait([quick.remote(5)], { timeout: 20 });
    expect(ready).toHaveLength(1);
  });
});
