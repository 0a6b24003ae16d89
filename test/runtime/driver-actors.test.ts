import { describe, expect, it } from 'vitest';
import { ActorDiedError } from '../../src/core/errors.ts';
import { taskOfObject } from '../../src/core/ids.ts';
import type { ObjectRef } from '../../src/core/object-ref.ts';
import { cls, cluster, fn, settle, type FakeLink } from './fake-node.ts';

/** Actors at the head: calls in order, a restart after a lost worker replaying the calls that ran, and death. */
describe('Driver: actors', () => {
  /** The worker that was last asked to construct `actorId`, told that it did. */
  function constructed(links: FakeLink[], actorId: string): FakeLink {
    const worker = links.findLast((l) => l.constructs().includes(actorId));
    if (!worker) throw new Error(`no worker constructs ${actorId}`);
    worker.says({ type: 'actorReady', actorId });
    return worker;
  }

  it('restarts an actor whose worker died and replays its running call first, then the calls queued meanwhile', async () => {
    const { driver, links, statesOf } = cluster({ nodeId: 'h', numWorkers: 1 });
    const actor = driver.createActor(cls('Counter', ['add']), [], { maxRestarts: 1, maxTaskRetries: 1 });
    await settle();
    const first = constructed(links, actor.actorId);
    const c1 = driver.callActor(actor, 'add', [1], {}, false) as ObjectRef;
    await settle();
    expect(first.runs()).toEqual([taskOfObject(c1.id)]);

    first.crashes();
    const c2 = driver.callActor(actor, 'add', [2], {}, false) as ObjectRef;
    await settle();
    const second = constructed(links, actor.actorId);
    expect(second.id).not.toBe(first.id);
    await settle();
    expect(second.runs()).toEqual([taskOfObject(c1.id), taskOfObject(c2.id)]);
    second.returns(taskOfObject(c1.id), 1);
    second.returns(taskOfObject(c2.id), 3);
    expect(await driver.get([c1, c2], undefined)).toEqual([1, 3]);
    expect(statesOf(taskOfObject(c1.id))).toEqual(['PENDING_ARGS', 'RUNNING', 'PENDING_NODE', 'RUNNING', 'FINISHED']);
  });

  it('fails the running call of a restarted actor that has no task retries, and runs the next one', async () => {
    const { driver, links } = cluster({ nodeId: 'h', numWorkers: 1 });
    const actor = driver.createActor(cls('Counter', ['add']), [], { maxRestarts: 1 });
    await settle();
    const first = constructed(links, actor.actorId);
    const c1 = driver.callActor(actor, 'add', [1], {}, false) as ObjectRef;
    await settle();
    first.crashes();
    await expect(driver.get([c1], undefined)).rejects.toBeInstanceOf(ActorDiedError);
    const c2 = driver.callActor(actor, 'add', [2], {}, false) as ObjectRef;
    await settle();
    const second = constructed(links, actor.actorId);
    await settle();
    expect(second.runs()).toEqual([taskOfObject(c2.id)]);
  });

  it('dies when no restart is left: its calls and any later call fail with ActorDiedError', async () => {
    const { driver, links } = cluster({ nodeId: 'h', numWorkers: 1 });
    const actor = driver.createActor(cls('Counter', ['add']), [], {});
    await settle();
    const worker = constructed(links, actor.actorId);
    const running = driver.callActor(actor, 'add', [1], {}, false) as ObjectRef;
    await settle();
    worker.crashes('out of memory');
    await expect(driver.get([running], undefined)).rejects.toBeInstanceOf(ActorDiedError);
    const late = driver.callActor(actor, 'add', [2], {}, false) as ObjectRef;
    await expect(driver.get([late], undefined)).rejects.toThrow(/out of memory/);
    expect(driver.actorCallsInFlight(actor.actorId)).toBe(0);
  });

  it('sends calls in submission order: a call waiting for its argument holds back the calls behind it', async () => {
    const { driver, links, link } = cluster({ nodeId: 'h', numWorkers: 1 });
    const actor = driver.createActor(cls('Log', ['push']), [], {});
    await settle();
    const worker = constructed(links, actor.actorId);
    const arg = driver.submitTask(fn('slow'), [], {}) as ObjectRef;
    const waiting = driver.callActor(actor, 'push', [arg], {}, false) as ObjectRef;
    const behind = driver.callActor(actor, 'push', ['b'], {}, false) as ObjectRef;
    await settle();
    expect(worker.runs()).toEqual([]);
    link('hw0').returns(taskOfObject(arg.id), 'a');
    await settle();
    expect(worker.runs()).toEqual([taskOfObject(waiting.id), taskOfObject(behind.id)]);
    expect(driver.actorCallsInFlight(actor.actorId)).toBe(2);
  });
});
