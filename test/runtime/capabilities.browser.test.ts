/**
 * A local worker is held to the same rules as a peer's: a task that posts protocol items of its
 * own (as rogue code in a worker could) about work it was never given is refused, and the
 * victims get their honest values.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { get, init, onEvent, put, remote, shutdown, type ObjectRef } from '../../src/index.ts';
import { PROTOCOL_VERSION } from '../../src/protocol/messages.ts';

beforeAll(async () => {
  await init({ numWorkers: 1 });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await shutdown();
});

/** An actor whose calls wait until it is opened: a victim's task that stays running. */
const Gate = remote(
  class Gate {
    #open: () => void = () => {};
    #opened = new Promise<void>((resolve) => (this.#open = resolve));
    async pass(value: string) {
      await this.#opened;
      return value;
    }
    open() {
      this.#open();
      return true;
    }
  },
);

/** The actor id behind a handle, as a rogue would guess it. */
function actorIdOf(handle: object): string {
  return (handle as Record<symbol, { actorId: string }>)[Symbol.for('raybox.actorDescriptor')]?.actorId as string;
}

describe('what a local worker may send', () => {
  it('refuses puts, results, cancels, kills and reads of what the worker was never given', async () => {
    const warn = vi.spyOn(console, 'warn');
    const Counter = remote(
      class Counter {
        n = 0;
        inc() {
          return ++this.n;
        }
      },
    );
    const gate = Gate.options({ maxConcurrency: 2 }).remote();
    const counter = Counter.remote();
    expect(await get(counter.inc.remote(), { timeout: 20 })).toBe(1);
    const victim: ObjectRef = gate.pass.remote('honest');
    const taskId = victim.id.slice(0, victim.id.lastIndexOf('.'));

    // Rogue code in a pool worker posts raw protocol items on the worker's own port.
    const rogue = remote((objectId: string, task: string, actorId: string, version: number) => {
      const plain = { special: false };
      postMessage([
        version,
        [
          { type: 'put', objectId, value: 'spoofed', size: 14, ...plain },
          { type: 'done', taskId: task, values: ['spoofed'], sizes: [14], start: 0, end: 0, ...plain },
          { type: 'cancelRef', objectId, force: false, recursive: false },
          { type: 'kill', actorId, noRestart: true },
          { type: 'get', requestId: 99, taskId: null, ids: [objectId], timeout: null },
        ],
      ]);
      return 'sent';
    });
    expect(await get(rogue.remote(victim.id, taskId, actorIdOf(counter), PROTOCOL_VERSION), { timeout: 20 })).toBe('sent');
    await vi.waitFor(() => expect(warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('refused')).length).toBe(5), { timeout: 20_000 });
    const refusals = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('refused'));
    expect(refusals[0]).toContain(`a put under id ${victim.id}, which is not one of its own`);
    expect(refusals[1]).toContain(`'done' for task ${taskId}, which it was not given`);
    expect(refusals[2]).toContain(`a cancel of object ${victim.id}, whose ref it was never given`);
    expect(refusals[3]).toContain(`a kill of actor ${actorIdOf(counter)}, whose handle it was never given`);
    expect(refusals[4]).toContain(`a get of object ${victim.id}, whose ref it was never given`);

    await get(gate.open.remote(), { timeout: 20 });
    expect(await get(victim, { timeout: 20 })).toBe('honest');
    expect(await get(counter.inc.remote(), { timeout: 20 })).toBe(2);
  });

  it("refuses a submission made in another's task's name, and shows a log naming another's task as the worker's own", async () => {
    const warn = vi.spyOn(console, 'warn');
    const gate = Gate.options({ maxConcurrency: 2 }).remote();
    const victim: ObjectRef = gate.pass.remote('honest');
    const victimTask = victim.id.slice(0, victim.id.lastIndexOf('.'));
    const logs: { text: string; taskId: string }[] = [];
    const stop = onEvent((event) => {
      if (event.type === 'log' && event.text.startsWith('as ')) logs.push({ text: event.text, taskId: event.taskId });
    });

    const rogue = remote((victimTask: string, version: number) => {
      // An id of the worker's own making, so only the parent is wrong.
      const own = raybox.put(0).id;
      const taskId = `${own.slice(0, own.lastIndexOf('.') + 1)}tspoof`;
      const fn = { fnId: 'x', name: 'spoof', source: '() => 1', streaming: false };
      postMessage([
        version,
        [
          { type: 'log', taskId: victimTask, level: 'log', text: 'as the victim', time: 0 },
          { type: 'submit', taskId, parentTaskId: victimTask, fn, args: { values: [], refArgs: null, nestedRefs: [], special: false }, options: {} },
        ],
      ]);
      console.log('as myself');
      return 'sent';
    });
    const rogueRef = rogue.remote(victimTask, PROTOCOL_VERSION);
    const rogueTask = rogueRef.id.slice(0, rogueRef.id.lastIndexOf('.'));
    expect(await get(rogueRef, { timeout: 20 })).toBe('sent');
    await vi.waitFor(() => expect(logs.length).toBe(2), { timeout: 20_000 });
    stop();
    // The spoofed line is shown, but as the worker's own, not the victim's; its honest line is its task's.
    expect(logs).toEqual([
      { text: 'as the victim', taskId: '' },
      { text: 'as myself', taskId: rogueTask },
    ]);
    await vi.waitFor(() => expect(warn.mock.calls.map((c) => String(c[0])).some((m) => m.includes(`a submission from task ${victimTask}, which it does not run`))).toBe(true), { timeout: 20_000 });

    await get(gate.open.remote(), { timeout: 20 });
    expect(await get(victim, { timeout: 20 })).toBe('honest');
  });

  it('still lets a worker use what it was given: refs in arguments, its own puts and submissions, handles it holds', async () => {
    const Counter = remote(
      class Counter {
        n = 0;
        inc() {
          return ++this.n;
        }
      },
    );
    const counter = Counter.remote();
    const outer = remote(async (refs: ObjectRef[], c: { inc: { remote(): ObjectRef } }) => {
      const double = raybox.remote((x: number) => x * 2);
      const given = (await raybox.get(refs)) as number[];
      const own = raybox.put(given[0]);
      const doubled = double.remote(given[0] as number);
      const ready = await raybox.wait([own, doubled], { numReturns: 2, timeout: 10 });
      const counted = await raybox.get(c.inc.remote());
      raybox.cancel(doubled);
      raybox.kill(c);
      return [...given, await raybox.get(own), await raybox.get(doubled), ready.ready.length, counted];
    });
    expect(await get(outer.remote([put(5)], counter), { timeout: 20 })).toEqual([5, 5, 10, 2, 1]);
  });
});

declare const raybox: typeof import('../../src/index.ts');
