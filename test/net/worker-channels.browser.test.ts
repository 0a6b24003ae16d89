/**
 * A joiner's node and the head's link to it, joined by a real WebRTC connection inside one page:
 * each worker's tasks and results take a DataChannel of their own, ended inside the worker
 * (where the browser can hand a DataChannel over, as Chromium can) or in the sandbox page, which
 * passes items on (as in browsers that cannot). Both ways must give the same results, held
 * objects included. The room end to end, with real pages and the sandbox iframe, is in
 * rooms.e2e.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { returnId } from '../../src/core/ids.ts';
import type { FromWorker, RunItem } from '../../src/protocol/messages.ts';
import { DirectChannel } from '../../src/net/direct-channel.ts';
import { JoinerLink } from '../../src/net/joiner-link.ts';
import { PeerChannel } from '../../src/net/peer-channel.ts';
import { checkSandboxToHead } from '../../src/net/room-messages.ts';
import { canHandOverChannels, SandboxNode } from '../../src/net/sandbox-node.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function connectNode(handOverChannels: boolean): Promise<{ joiner: JoinerLink; offences: string[]; workers: Worker[]; channels: number[] }> {
  const workers: Worker[] = [];
  const channels: number[] = [];
  const offences: string[] = [];
  // Signals go straight between the two ends; the offer is sent after this turn, once both exist.
  const head = new DirectChannel('offer', {}, (signal) => node.signal(signal));
  let attached: () => void = () => {};
  const isAttached = new Promise<void>((resolve) => (attached = resolve));
  const node = new SandboxNode({
    nodeId: 'joiner-1',
    rtcConfig: {},
    createWorker: () => {
      const worker = new Worker(new URL('../../src/worker.ts', import.meta.url), { type: 'module' });
      workers.push(worker);
      return worker;
    },
    handOverChannels,
    report: (message) => {
      if (message.type === 'rtc') void head.signal(message.signal);
      if (message.type === 'attached') attached();
    },
  });
  cleanups.push(() => {
    node.close('the test ended');
    head.close();
  });
  const raw = await head.opened;
  await isAttached;
  const data = new PeerChannel(raw, {
    message: (value) => {
      const checked = checkSandboxToHead(value);
      if (!checked.ok) return offences.push(checked.reason);
      if (checked.message.type !== 'alive') joiner.receive(checked.message);
    },
    invalid: (reason) => offences.push(reason),
    closed: () => undefined,
  });
  const joiner = new JoinerLink({ nodeId: 'joiner-1', label: 'test joiner', numWorkers: 1, gpus: 0, backend: null }, data, (id, label) => {
    channels.push(id);
    return head.channel(id, label);
  }, (reason) => offences.push(reason));
  return { joiner, offences, workers, channels };
}

function run(taskId: string, source: string, args: unknown[], held?: Array<[number, string]>): RunItem {
  return { type: 'run', taskId, name: 'f', fnId: `fn-${source.length}-${taskId}`, source, args, numReturns: 1, streaming: false, special: false, ...(held ? { held } : {}) };
}

describe.each([
  { mode: 'handed to the worker', handOverChannels: true },
  { mode: 'passed on by the sandbox page', handOverChannels: false },
])('a worker channel $mode', ({ handOverChannels }) => {
  it('runs tasks, keeps a large result on the node, and fills it in as a later argument', async () => {
    const { joiner, offences } = await connectNode(handOverChannels);
    const results = new Map<string, FromWorker>();
    const arrived: Array<() => void> = [];
    const worker = joiner.spawn('w1', {
      items: (items) => {
        for (const item of items) if (item.type === 'done' || item.type === 'failed') results.set(item.taskId, item);
        for (const wake of arrived.splice(0)) wake();
      },
      died: (reason) => offences.push(`died: ${reason}`),
    });
    const result = async (taskId: string) => {
      while (!results.has(taskId)) await new Promise<void>((resolve) => arrived.push(resolve));
      return results.get(taskId) as FromWorker;
    };
    await worker.ready();

    worker.send(run('t1', '(a) => a * 2', [21]));
    expect(await result('t1')).toMatchObject({ type: 'done', values: [42] });

    // 2 MiB: over the size a node keeps for itself.
    worker.send(run('t2', '() => new Float64Array(262144).fill(3)', []));
    const big = await result('t2');
    expect(big).toMatchObject({ type: 'done', values: [null], kept: [0] });

    const heldId = returnId('t2', 0);
    worker.send(run('t3', '(a) => a.length + a[0]', [null], [[0, heldId]]));
    expect(await result('t3')).toMatchObject({ type: 'done', values: [262147] });

    const fetched = await joiner.fetch(heldId);
    expect(fetched.size).toBeGreaterThanOrEqual(2 * 2 ** 20);

    joiner.free([heldId]);
    worker.send(run('t4', '(a) => a.length', [null], [[0, heldId]]));
    expect(await result('t4')).toMatchObject({ type: 'failed', error: { name: 'ObjectLostError' } });
    expect(offences).toEqual([]);
  });

  it('gives each worker a channel of its own, numbered anew after a worker stopped', async () => {
    const { joiner, offences, channels } = await connectNode(handOverChannels);
    const results = new Map<string, FromWorker>();
    const spawn = (id: string) => joiner.spawn(id, { items: (items) => items.forEach((item) => (item.type === 'done' || item.type === 'failed') && results.set(item.taskId, item)), died: () => undefined });
    const whoAmI = async (link: ReturnType<typeof spawn>, taskId: string) => {
      link.send(run(taskId, '() => raybox.getRuntimeContext().workerId', []));
      for (let i = 0; i < 200 && results.get(taskId)?.type !== 'done'; i++) await new Promise((r) => setTimeout(r, 10));
      return (results.get(taskId) as { values?: unknown[] } | undefined)?.values?.[0];
    };
    const [w1, w2, w3] = [spawn('w1'), spawn('w2'), spawn('w3')];
    await Promise.all([w1.ready(), w2.ready(), w3.ready()]);
    expect(await Promise.all([whoAmI(w1, 'a1'), whoAmI(w2, 'a2'), whoAmI(w3, 'a3')])).toEqual(['w1', 'w2', 'w3']);
    w2.terminate();
    for (let i = 0; i < 200 && w2.alive; i++) await new Promise((r) => setTimeout(r, 10));
    const w4 = spawn('w4');
    await w4.ready();
    expect(await Promise.all([whoAmI(w1, 'b1'), whoAmI(w3, 'b3'), whoAmI(w4, 'b4')])).toEqual(['w1', 'w3', 'w4']);
    expect(channels).toEqual([1, 2, 3, 4]);
    expect(offences).toEqual([]);
  });

  it('tells the head when a worker dies without a word (killed, crashed or out of memory)', async () => {
    const { joiner, workers } = await connectNode(handOverChannels);
    let died: (reason: string) => void = () => {};
    const death = new Promise<string>((resolve) => (died = resolve));
    const link = joiner.spawn('w1', { items: () => undefined, died });
    await link.ready();
    workers[0]?.terminate(); // as the browser ends a worker that crashed: no 'closing', no event
    expect(await death).toMatch(/closed/);
  });
});

it('can hand a DataChannel to a worker in this browser', () => {
  // Chromium can: the fast path above is the one joiners on Chromium take.
  expect(canHandOverChannels()).toBe(true);
});
