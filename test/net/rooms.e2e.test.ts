/**
 * Rooms end to end: a head and two joiners, each a real page in its own browser context, over
 * WebRTC through the PeerServer the app's dev server runs on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { launchBrowserForPages, startAppServer } from '../support/page-harness.ts';

declare const raybox: typeof import('../../src/index.ts');

let server: ViteDevServer;
let url: string;
/** The rogue's view of the test kit on the fixture page. */
interface RoomTestKit {
  Peer: typeof import('peerjs').Peer;
  PeerChannel: typeof import('../../src/net/peer-channel.ts').PeerChannel;
  DirectChannel: typeof import('../../src/net/direct-channel.ts').DirectChannel;
  version: number;
  signaling: () => import('../../src/net/signaling-config.ts').SignalingOptions;
}
declare const roomTestKit: RoomTestKit;
let browser: Awaited<ReturnType<typeof launchBrowserForPages>>;
let head: Page;
let joiners: Page[];
let roomId: string;

async function join(page: Page, id: string, passphrase?: string): Promise<void> {
  await page.evaluate(([room, pass]) => raybox.joinRoom(room as string, { numWorkers: 1, ...(pass ? { passphrase: pass } : {}) }), [id, passphrase]);
}

/** Waits in the head page until it sees `count` live peers, and returns their node ids. */
async function peers(count: number): Promise<string[]> {
  return head.evaluate(async (n) => {
    for (let i = 0; i < 100; i++) {
      const live = raybox.nodes().filter((node) => node.alive && !node.isLocal);
      if (live.length >= n) return live.map((node) => node.nodeId);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`only ${raybox.nodes().filter((node) => node.alive && !node.isLocal).length} peers joined`);
  }, count);
}

beforeAll(async () => {
  const started = await startAppServer();
  server = started.server;
  url = `${started.url}/test/net/fixtures/room-page.html`;
  browser = await launchBrowserForPages();
  head = await browser.newPage(url);
  joiners = [await browser.newPage(url), await browser.newPage(url)];
  ({ roomId } = await head.evaluate(async () => {
    await raybox.init({ numWorkers: 1 });
    return raybox.openRoom();
  }));
  for (const joiner of joiners) await join(joiner, roomId);
  await peers(2);
  // A cold dev server on a busy machine transforms the pages' modules first: the limit only catches a hang.
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a room with a head and two joiners', () => {
  it('lists joiners as nodes and runs tasks on them, as the nodes that ran them report', async () => {
    const [a, b] = await peers(2);
    const ran = await head.evaluate(async ([first, second]) => {
      const where = raybox.remote(() => raybox.getRuntimeContext().nodeId);
      const on = (nodeId: string) => where.options({ schedulingStrategy: { nodeId, soft: false } }).remote();
      return raybox.get([on(first as string), on(second as string)], { timeout: 30 });
    }, [a, b]);
    expect(ran).toEqual([a, b]);
    const spread = await head.evaluate(async () => {
      const where = raybox.remote(async () => {
        await new Promise((r) => setTimeout(r, 50));
        return raybox.getRuntimeContext().nodeId;
      });
      const nodes = await raybox.get(Array.from({ length: 12 }, () => where.options({ schedulingStrategy: 'SPREAD' }).remote()), { timeout: 30 });
      return new Set(nodes).size;
    });
    expect(spread).toBe(3);
  });

  it('keeps its joiners while the head page is busy for seconds on end, as a long synchronous cell makes it', async () => {
    const before = (await peers(2)).sort();
    await head.evaluate(() => {
      const end = Date.now() + 8000;
      while (Date.now() < end) {
        /* a cell computing synchronously: the head's pings stop meanwhile */
      }
    });
    // A joiner that judged the silence would be gone by now: its leaving closes its channels.
    await head.evaluate(() => new Promise((resolve) => setTimeout(resolve, 2000)));
    expect((await peers(2)).sort()).toEqual(before);
    const where = await head.evaluate(
      (nodeId) => raybox.get(raybox.remote(() => raybox.getRuntimeContext().nodeId).options({ schedulingStrategy: { nodeId, soft: false } }).remote(), { timeout: 30 }),
      before[0] as string,
    );
    expect(where).toBe(before[0]);
  });

  // 64 MiB each way over a DataChannel: about 20 s on an idle 2-core machine, over a minute under load.
  it('round-trips a 64 MiB Float32Array through a joiner intact', { timeout: 240_000 }, async () => {
    const [a] = await peers(2);
    const result = await head.evaluate(async (nodeId) => {
      const big = new Float32Array(16 * 2 ** 20);
      for (let i = 0; i < big.length; i++) big[i] = (i % 1009) / 7;
      const echo = raybox.remote((x: Float32Array) => {
        let sum = 0;
        for (let i = 0; i < x.length; i += 4096) sum += x[i] as number;
        return { x, sum, where: raybox.getRuntimeContext().nodeId };
      });
      const out = await raybox.get(echo.options({ schedulingStrategy: { nodeId: nodeId as string, soft: false } }).remote(raybox.put(big)), { timeout: 200 });
      let same = out.x.length === big.length && out.x instanceof Float32Array;
      for (let i = 0; same && i < big.length; i++) same = out.x[i] === big[i];
      return { same, where: out.where, ranOnJoiner: out.where === nodeId };
    }, a);
    expect(result).toEqual({ same: true, where: a, ranOnJoiner: true });
  });

  it('hosts an actor on a joiner', async () => {
    const [, b] = await peers(2);
    const out = await head.evaluate(async (nodeId) => {
      class Counter {
        n = 0;
        add(k: number) {
          this.n += k;
          return { n: this.n, where: raybox.getRuntimeContext().nodeId };
        }
      }
      const counter = raybox.remote(Counter, { schedulingStrategy: { nodeId: nodeId as string, soft: false } }).remote();
      await raybox.get(counter.add.remote(1), { timeout: 30 });
      return raybox.get(counter.add.remote(2), { timeout: 30 });
    }, b);
    expect(out).toEqual({ n: 3, where: b });
  });

  it('keeps the room code away from the joiner page: no fetch, IndexedDB, cookies or parent', async () => {
    const [a] = await peers(2);
    const out = await head.evaluate(async (nodeId) => {
      const probe = raybox.remote(async () => {
        const attempt = async (f: () => unknown) => {
          try {
            await f();
            return 'allowed';
          } catch (error) {
            return (error as Error).name;
          }
        };
        return {
          fetchOtherHost: await attempt(() => fetch('http://127.0.0.2:9/')),
          fetchOtherPort: await attempt(() => fetch(`http://127.0.0.1:9/`)),
          indexedDB: await attempt(() => indexedDB.open('stolen')),
          cookie: await attempt(() => (globalThis as unknown as { document: Document }).document.cookie),
          parent: await attempt(() => (globalThis as unknown as { parent: Window }).parent.document.title),
        };
      });
      return raybox.get(probe.options({ schedulingStrategy: { nodeId: nodeId as string, soft: false } }).remote(), { timeout: 30 });
    }, a);
    expect(out.fetchOtherHost).toBe('TypeError');
    expect(out.fetchOtherPort).toBe('TypeError');
    expect(out.indexedDB).toBe('SecurityError');
    expect(out.cookie).toBe('TypeError');
    expect(out.parent).toBe('TypeError');
  });

  it('drops malformed and oversized messages from a rogue peer, disconnects it, and goes on working', async () => {
    const [good] = await peers(2);
    const rogue = await browser.newPage(url);
    const closed = rogue.evaluate(async (room) => {
      const { Peer, PeerChannel, DirectChannel, version, signaling } = roomTestKit;
      const { host, port, path, secure, config } = signaling();
      const peer = new Peer({ host, port, path, secure, config, debug: 0 });
      await new Promise<void>((resolve) => peer.once('open', () => resolve()));
      const connection = peer.connect(room, { reliable: true, serialization: 'raw' });
      await new Promise<void>((resolve) => connection.once('open', () => resolve()));
      let onClosed: () => void = () => {};
      const closedPromise = new Promise<void>((resolve) => {
        onClosed = resolve;
      });
      // It plays a joiner up to the data channel, which it ends itself instead of in a sandbox.
      const direct = new DirectChannel('answer', config, (signal) => control.send({ type: 'rtc', signal }));
      const control = new PeerChannel(connection.dataChannel, {
        message: (value) => {
          const message = value as { type: string; signal?: never };
          if (message.type === 'challenge') control.send({ type: 'hello', v: version, proof: null, numWorkers: 1, label: 'rogue', gpus: 0, backend: null });
          if (message.type === 'rtc' && message.signal) void direct.signal(message.signal);
        },
        invalid: () => {},
        closed: () => onClosed(),
      });
      const dataChannel = await direct.opened;
      const data = new PeerChannel(dataChannel, { message: () => {}, invalid: () => {}, closed: () => {} });
      // An oversized message on each channel: a chunk header that announces 1 GiB.
      const huge = new DataView(new ArrayBuffer(32));
      huge.setUint32(0, 999);
      huge.setUint32(4, 0);
      huge.setUint32(8, 16384);
      huge.setUint32(12, 2 ** 30);
      for (const raw of [connection.dataChannel, dataChannel]) {
        raw.send(huge.buffer);
        raw.send(new Uint8Array([1, 2, 3]).buffer); // not even a chunk
      }
      control.send({ type: 'bogus' });
      control.send({ type: 'results', workerId: 'w', items: [] }); // data on the control channel
      data.send({ type: 'hello', v: version, proof: null, numWorkers: 9, label: 'again', gpus: 0, backend: null }); // control on the data channel
      data.send({ type: 'results', workerId: 'no-such-worker', items: [] });
      data.send({ type: 'results', workerId: 'w', items: [{ type: 'done' }] });
      data.send({ type: 'object', objectId: 'never-asked', found: true, value: 1, special: false, handlers: null, size: 1 });
      (window as unknown as { firstWave: boolean }).firstWave = true;
      await new Promise((r) => setTimeout(r, 1500));
      for (let i = 0; i < 20; i++) data.send({ type: 'bogus', i });
      const outcome = await Promise.race([closedPromise.then(() => 'disconnected'), new Promise((r) => setTimeout(() => r('still connected'), 8000))]);
      return outcome;
    }, roomId);
    await rogue.waitForFunction(() => (window as unknown as { firstWave?: boolean }).firstWave === true);
    const stillWorks = await head.evaluate(async (nodeId) => {
      const where = raybox.remote((x: number) => ({ x, where: raybox.getRuntimeContext().nodeId }));
      return raybox.get(where.options({ schedulingStrategy: { nodeId: nodeId as string, soft: false } }).remote(5), { timeout: 30 });
    }, good);
    expect(stillWorks).toEqual({ x: 5, where: good });
    expect(await closed).toBe('disconnected');
    await rogue.close();
  });

  it('keeps a large result on the joiner that made it, and rebuilds it from lineage when that joiner leaves', async () => {
    const first = await peers(2);
    const spare = await browser.newPage(url);
    await join(spare, roomId);
    const keeper = (await peers(3)).find((id) => !first.includes(id)) as string;
    const before = await head.evaluate(async (nodeId) => {
      const runs: string[] = [];
      const stop = raybox.onEvent((e) => {
        if (e.type === 'task' && e.name === 'makeBig' && e.state === 'FINISHED') runs.push(e.nodeId ?? '?');
      });
      (window as unknown as { stopRuns: () => string[] }).stopRuns = () => {
        stop();
        return runs;
      };
      const makeBig = raybox.remote(function makeBig(n: number) {
        return new Float64Array(n).fill(raybox.getRuntimeContext().nodeId.length);
      });
      const ref = makeBig.options({ schedulingStrategy: { nodeId: nodeId as string, soft: true } }).remote(512 * 1024);
      (window as unknown as { bigRef: unknown }).bigRef = ref;
      await raybox.wait([ref], { timeout: 30 });
      // A task taking it as argument goes where it lives (locality) and reads it there.
      const sum = raybox.remote((a: Float64Array) => ({ first: a[0], where: raybox.getRuntimeContext().nodeId }));
      return raybox.get(sum.remote(ref), { timeout: 30 });
    }, keeper);
    expect(before.where).toBe(keeper);
    await spare.close();
    const after = await head.evaluate(async () => {
      const ref = (window as unknown as { bigRef: import('../../src/index.ts').ObjectRef<Float64Array> }).bigRef;
      const value = await raybox.get(ref, { timeout: 60 });
      return { length: value.length, runs: (window as unknown as { stopRuns: () => string[] }).stopRuns() };
    });
    expect(after.length).toBe(512 * 1024);
    expect(after.runs[0]).toBe(keeper);
    expect(after.runs.length).toBe(2);
    expect(after.runs[1]).not.toBe(keeper);
  });

  it('moves tensors to a joiner and back as tensors', async () => {
    const [a] = await peers(2);
    const out = await head.evaluate(async (nodeId) => {
      const tf = await raybox.ml.loadTf();
      const t = tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32');
      const twice = raybox.remote((x: import('@tensorflow/tfjs').Tensor) => ({ y: x.add(x), where: raybox.getRuntimeContext().nodeId }));
      const { y, where } = await raybox.get(twice.options({ schedulingStrategy: { nodeId: nodeId as string, soft: false } }).remote(t), { timeout: 30 });
      return { where, dtype: y.dtype, shape: y.shape, values: Array.from(y.dataSync()), isTensor: y instanceof tf.Tensor };
    }, a);
    expect(out).toEqual({ where: a, dtype: 'int32', shape: [2, 2], values: [2, 4, 6, 8], isTensor: true });
  });

  it('restarts an actor elsewhere when its joiner leaves, if maxRestarts allows; otherwise its calls fail', async () => {
    const known = await head.evaluate(() => raybox.nodes().filter((n) => !n.isLocal && n.alive).map((n) => n.nodeId));
    const host = await browser.newPage(url);
    await join(host, roomId);
    const hostId = (await peers(known.length + 1)).find((id) => !known.includes(id)) as string;
    await head.evaluate(async (nodeId) => {
      class Where {
        calls = 0;
        where() {
          this.calls++;
          return { node: raybox.getRuntimeContext().nodeId, calls: this.calls };
        }
      }
      const strategy = { nodeId: nodeId as string, soft: true };
      const resilient = raybox.remote(Where, { maxRestarts: 1, schedulingStrategy: strategy }).remote();
      const fragile = raybox.remote(Where, { schedulingStrategy: strategy }).remote();
      Object.assign(window, { resilient, fragile });
      const first = await raybox.get([resilient.where.remote(), fragile.where.remote()], { timeout: 30 });
      if (first.some((w) => w.node !== nodeId)) throw new Error(`actors did not start on ${String(nodeId)}`);
    }, hostId);
    await host.close();
    const after = await head.evaluate(async (nodeId) => {
      // Calls made before the head notices the joiner is gone would die with it (as in Ray):
      // wait until it is declared dead.
      while (raybox.nodes().some((n) => n.nodeId === nodeId && n.alive)) await new Promise((r) => setTimeout(r, 50));
      const { resilient, fragile } = window as unknown as Record<'resilient' | 'fragile', import('../../src/index.ts').ActorHandle<{ where(): { node: string; calls: number } }>>;
      const moved = await raybox.get(resilient.where.remote(), { timeout: 30 });
      const died = await raybox.get(fragile.where.remote(), { timeout: 30 }).then(() => 'alive', (e: Error) => e.name);
      return { moved, died };
    }, hostId);
    expect(after.moved.node).not.toBe(hostId);
    expect(after.moved.calls).toBe(1);
    expect(after.died).toBe('ActorDiedError');
  });

  it('finishes a 200-task job correctly, each result once, when a joiner closes in the middle', async () => {
    const tracking = head.evaluate(async () => {
      const finished = new Map<string, number>();
      const stop = raybox.onEvent((e) => {
        if (e.type === 'task' && e.name === 'job' && e.state === 'FINISHED') finished.set(e.taskId, (finished.get(e.taskId) ?? 0) + 1);
      });
      const job = raybox.remote(
        async function job(i: number) {
          await new Promise((r) => setTimeout(r, 40));
          return i * 2;
        },
        { schedulingStrategy: 'SPREAD' },
      );
      const refs = Array.from({ length: 200 }, (_, i) => job.remote(i));
      (window as unknown as { jobStarted: boolean }).jobStarted = true;
      const values = await raybox.get(refs, { timeout: 120 });
      stop();
      return { correct: values.every((v, i) => v === i * 2), count: values.length, finishedOnce: [...finished.values()].every((n) => n === 1), finishedTasks: finished.size };
    });
    await head.waitForFunction(() => (window as unknown as { jobStarted?: boolean }).jobStarted === true);
    await new Promise((r) => setTimeout(r, 800));
    const leaving = joiners[1] as Page;
    await leaving.close();
    const result = await tracking;
    expect(result).toEqual({ correct: true, count: 200, finishedOnce: true, finishedTasks: 200 });
    expect(await head.evaluate(() => raybox.nodes().filter((n) => !n.isLocal && n.alive).length)).toBe(1);
  });

  // How soon silence counts as death is the Heartbeat's, shown with a fake clock in
  // heartbeat.test.ts; here the order of what happens: the hung joiner is dropped for its silence
  // (its connections stay open) while it still hangs, and its work runs elsewhere.
  it('declares a joiner that stops answering dead for its silence, and runs its work elsewhere', async () => {
    const known = await head.evaluate(() => raybox.nodes().filter((n) => !n.isLocal && n.alive).map((n) => n.nodeId));
    const frozen = await browser.newPage(url);
    await join(frozen, roomId);
    const frozenId = (await peers(known.length + 1)).find((id) => !known.includes(id)) as string;
    // An actor placed on the joiner says, when it dies, why its node was dropped.
    const placed = await head.evaluate(async (nodeId) => {
      const Probe = raybox.remote(
        class Probe {
          where() {
            return raybox.getRuntimeContext().nodeId;
          }
        },
      );
      const probe = Probe.options({ schedulingStrategy: { nodeId, soft: false }, maxRestarts: 0 }).remote();
      const stop = raybox.onEvent((e) => {
        if (e.type === 'actor' && e.nodeId === nodeId && e.state === 'DEAD') {
          stop();
          (window as unknown as { deadReason: string }).deadReason = e.reason ?? '';
        }
      });
      return raybox.get(probe.where.remote(), { timeout: 30 });
    }, frozenId);
    expect(placed).toBe(frozenId);
    const pending = head.evaluate(async (nodeId) => {
      // On the frozen joiner the task hangs its worker too, as a hung browser would.
      const slow = raybox.remote((hangOn: string) => {
        while (raybox.getRuntimeContext().nodeId === hangOn) {
          /* hung until the joiner's page goes */
        }
        return raybox.getRuntimeContext().nodeId;
      });
      return raybox.get(slow.options({ schedulingStrategy: { nodeId: nodeId as string, soft: true } }).remote(nodeId as string), { timeout: 60 });
    }, frozenId);
    // The joiner hangs (a busy loop in its page and in its sandbox, where its node channel ends)
    // until the test closes it: its connections stay open but it answers nothing.
    const hang = () => {
      setTimeout(() => {
        for (;;) {
          /* hung */
        }
      }, 0);
    };
    const sandbox = frozen.frames().find((frame) => frame.url().endsWith('/sandbox.html'));
    if (!sandbox) throw new Error('the joiner has no sandbox frame');
    await sandbox.evaluate(hang);
    await frozen.evaluate(hang);
    await head.waitForFunction((nodeId) => !raybox.nodes().some((n) => n.nodeId === nodeId && n.alive), frozenId, { timeout: 30_000, polling: 50 });
    await head.waitForFunction(() => 'deadReason' in window, undefined, { timeout: 30_000 });
    expect(await head.evaluate(() => (window as unknown as { deadReason: string }).deadReason)).toMatch(/stopped answering heartbeats/);
    const ranOn = await pending;
    expect(ranOn).not.toBe(frozenId);
    await frozen.context().close(); // its busy loops would slow the tests that follow
  });

  it('refuses a joiner with the wrong passphrase, and admits one with the right one', async () => {
    const fresh = await browser.newPage(url);
    const { roomId: guarded } = await head.evaluate(async () => {
      await raybox.leaveRoom();
      return raybox.openRoom({ passphrase: 'correct horse' });
    });
    const refused = await fresh.evaluate((id) => raybox.joinRoom(id, { numWorkers: 1, passphrase: 'wrong' }).then(() => 'joined', (e: Error) => `${e.name}: ${e.message}`), guarded);
    expect(refused).toMatch(/^RoomError: .*passphrase is wrong/);
    const missing = await fresh.evaluate((id) => raybox.joinRoom(id, { numWorkers: 1 }).then(() => 'joined', (e: Error) => `${e.name}: ${e.message}`), guarded);
    expect(missing).toMatch(/^RoomError: .*needs a passphrase/);
    await join(fresh, guarded, 'correct horse');
    expect((await peers(1)).length).toBe(1);
    await fresh.close();
  });
});
