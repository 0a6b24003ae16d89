/**
 * A room under attack: a head, an honest joiner, and an attacker that knows the passphrase and
 * speaks raybox's own protocol (`fixtures/attacker-page.ts`), each a real page over real WebRTC.
 * Whatever the attacker sends about work it was never given is refused and counted, the victims'
 * results stay the honest ones, and the room goes on working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { launchBrowserForPages, startAppServer } from '../support/page-harness.ts';

declare const raybox: typeof import('../../src/index.ts');

interface Joined {
  nodeId: string;
  workerId: string;
  received: Array<Record<string, unknown>>;
  send(items: unknown[]): void;
  closed(): boolean;
}
interface AttackerKit {
  join(roomId: string, passphrase: string | undefined): Promise<Joined>;
  announce(roomId: string, count: number, bytes: number): Promise<string[]>;
  hashSource(source: string): string;
}
declare const attacker: AttackerKit;
declare const joined: Joined;
type Ref = import('../../src/index.ts').ObjectRef;
/** What the head keeps of the victims between its evaluations. */
interface Victims {
  gate: { open: { remote(): Ref } };
  counter: { inc: { remote(): Ref } };
  a: Ref;
  b: Ref;
  warmUp: Ref;
}

const PASSPHRASE = 'study group 7';

let server: ViteDevServer;
let browser: Awaited<ReturnType<typeof launchBrowserForPages>>;
let head: Page;
let honest: Page;
let rogue: Page;
let roomId: string;
let attackerUrl: string;
let origin: string;
/** What the head page warned about, in order. */
const warnings: string[] = [];

/** Waits in the head page until it sees `count` live peers, and returns their node ids. */
async function peers(count: number): Promise<string[]> {
  return head.evaluate(async (n) => {
    for (let i = 0; i < 200; i++) {
      const live = raybox.nodes().filter((node) => node.alive && !node.isLocal);
      if (live.length >= n) return live.map((node) => node.nodeId);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`only ${raybox.nodes().filter((node) => node.alive && !node.isLocal).length} peers joined`);
  }, count);
}

/** Resolves once the head has warned about each of `patterns`. */
async function warned(patterns: RegExp[]): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (patterns.every((p) => warnings.some((w) => p.test(w)))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  const missing = patterns.filter((p) => !warnings.some((w) => p.test(w)));
  throw new Error(`the head never refused ${missing.map(String).join(', ')}; it warned:\n${warnings.join('\n')}`);
}

beforeAll(async () => {
  const started = await startAppServer();
  server = started.server;
  const url = `${started.url}/test/net/fixtures/room-page.html`;
  attackerUrl = `${started.url}/test/net/fixtures/attacker-page.html`;
  origin = started.url;
  browser = await launchBrowserForPages();
  head = await browser.newPage(url);
  head.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  honest = await browser.newPage(url);
  rogue = await browser.newPage(attackerUrl);
  ({ roomId } = await head.evaluate(async (passphrase) => {
    await raybox.init({ numWorkers: 1 });
    return raybox.openRoom({ passphrase });
  }, PASSPHRASE));
  await honest.evaluate(([room, passphrase]) => raybox.joinRoom(room as string, { numWorkers: 1, passphrase: passphrase as string }), [roomId, PASSPHRASE]);
  await peers(1);
  await rogue.evaluate(async ([room, passphrase]) => {
    Object.assign(window, { joined: await attacker.join(room as string, passphrase as string) });
  }, [roomId, PASSPHRASE]);
  await peers(2);
  // A cold dev server on a busy machine transforms the pages' modules first: the limit only catches a hang.
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a joiner that knows the passphrase', () => {
  it("cannot spoof another node's results, reuse its ids, cancel its tasks or kill its actors", async () => {
    const attackerNode = await rogue.evaluate(() => joined.nodeId);
    const honestNode = (await peers(2)).find((id) => id !== attackerNode) as string;

    // The victims: a call held open by a gate actor on the head, a task on the honest joiner that
    // takes its result, and a counter actor. The attacker also runs one honest task of the head's.
    const ids = await head.evaluate(
      async ([honestId, attackerId]) => {
        const Gate = raybox.remote(
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
        const Counter = raybox.remote(
          class Counter {
            n = 0;
            inc() {
              return ++this.n;
            }
          },
        );
        const gate = Gate.options({ maxConcurrency: 2 }).remote();
        const counter = Counter.remote();
        const a = gate.pass.remote('honest');
        const exclaim = raybox.remote((x: string) => `${x}!`);
        const b = exclaim.options({ schedulingStrategy: { nodeId: honestId as string, soft: false } }).remote(a);
        const echo = raybox.remote((x: number) => x);
        const warmUp = echo.options({ schedulingStrategy: { nodeId: attackerId as string, soft: false } }).remote(1);
        const counted = await raybox.get(counter.inc.remote(), { timeout: 30 });
        Object.assign(window, { victims: { gate, counter, a, b, warmUp } });
        const actorId = (handle: object) => (handle as Record<symbol, { actorId: string }>)[Symbol.for('raybox.actorDescriptor')]?.actorId as string;
        return { a: a.id, b: b.id, gate: actorId(gate), counter: actorId(counter), counted };
      },
      [honestNode, attackerNode],
    );
    expect(ids.counted).toBe(1);

    // The attacker answered the warm-up honestly (below, in its page) and now sends, as its own
    // worker, what it was never given: the ids are sequential, so easy to guess.
    const sent = await rogue.evaluate(async (v) => {
      for (let i = 0; i < 300 && !joined.received.some((item) => item.type === 'run'); i++) await new Promise((r) => setTimeout(r, 100));
      const run = joined.received.find((item) => item.type === 'run') as { taskId: string; fnId: string; name: string };
      const fn = { fnId: run.fnId, name: run.name, source: '', streaming: false };
      const task = (id: string) => id.slice(0, id.lastIndexOf('.'));
      const plain = { special: false };
      const encoded = (values: unknown[], refArgs: (string | null)[] | null = null) => ({ values, refArgs, nestedRefs: [], ...plain });
      joined.send([
        { type: 'done', taskId: task(v.a), values: ['spoofed'], sizes: [14], start: 0, end: 0, ...plain },
        { type: 'yield', taskId: task(v.b), index: 0, value: 'spoofed', size: 14, ...plain },
        { type: 'put', objectId: v.a, value: 'spoofed', size: 14, ...plain },
        { type: 'put', objectId: v.b, value: 'spoofed', size: 14, ...plain },
        { type: 'submit', taskId: task(v.b), parentTaskId: null, fn, args: encoded(['spoofed']), options: { schedulingStrategy: { nodeId: joined.nodeId, soft: false } } },
        { type: 'submit', taskId: `${joined.workerId}.t1`, parentTaskId: null, fn, args: encoded([null], [v.a]), options: {} },
        { type: 'cancelRef', objectId: v.a, force: false, recursive: false },
        { type: 'cancelRef', objectId: v.b, force: true, recursive: true },
        { type: 'kill', actorId: v.counter, noRestart: true },
        { type: 'kill', actorId: v.gate, noRestart: true },
        { type: 'get', requestId: 7, taskId: null, ids: [v.a], timeout: null },
        { type: 'wait', requestId: 8, taskId: null, ids: [v.b], numReturns: 1, timeout: null },
        {
          type: 'submitCall',
          taskId: `${joined.workerId}.t2`,
          parentTaskId: null,
          actor: { actorId: v.counter, className: 'Counter', methods: ['inc'], streamingMethods: [] },
          method: 'inc',
          streaming: false,
          options: {},
          args: encoded([]),
        },
      ]);
      // The warm-up task, answered honestly after the spoofs.
      joined.send([{ type: 'done', taskId: run.taskId, values: [1], sizes: [8], start: 0, end: 0, ...plain }]);
      return run.taskId;
    }, ids);
    expect(sent).toMatch(/^t/);

    const a = ids.a.slice(0, ids.a.lastIndexOf('.'));
    const b = ids.b.slice(0, ids.b.lastIndexOf('.'));
    await warned([
      new RegExp(`'done' for task ${a}, which it was not given`),
      new RegExp(`'yield' for task ${b}, which it was not given`),
      new RegExp(`a put under id ${ids.a.replace('.', '\\.')}, which is not one of its own`),
      new RegExp(`a put under id ${ids.b.replace('.', '\\.')}, which is not one of its own`),
      new RegExp(`a task under id ${b}, which is taken`),
      new RegExp(`a submission passing on of object ${ids.a.replace('.', '\\.')}, whose ref it was never given`),
      new RegExp(`a cancel of object ${ids.a.replace('.', '\\.')}, whose ref it was never given`),
      new RegExp(`a cancel of object ${ids.b.replace('.', '\\.')}, whose ref it was never given`),
      new RegExp(`a kill of actor ${ids.counter}, whose handle it was never given`),
      new RegExp(`a kill of actor ${ids.gate}, whose handle it was never given`),
      new RegExp(`a get of object ${ids.a.replace('.', '\\.')}, whose ref it was never given`),
      new RegExp(`a wait of object ${ids.b.replace('.', '\\.')}, whose ref it was never given`),
      new RegExp(`a call of actor ${ids.counter}, whose handle it was never given`),
    ]);

    // The victims get the honest values; the actors live on, the counter untouched by the attacker.
    const after = await head.evaluate(async (honestId) => {
      const { gate, counter, a, b, warmUp } = (window as unknown as { victims: Victims }).victims;
      await raybox.get(gate.open.remote(), { timeout: 30 });
      const where = raybox.remote(() => raybox.getRuntimeContext().nodeId);
      return {
        warmUp: await raybox.get(warmUp, { timeout: 30 }),
        a: await raybox.get(a, { timeout: 30 }),
        b: await raybox.get(b, { timeout: 30 }),
        counter: await raybox.get(counter.inc.remote(), { timeout: 30 }),
        onHonest: await raybox.get(where.options({ schedulingStrategy: { nodeId: honestId as string, soft: false } }).remote(), { timeout: 30 }),
        onHead: await raybox.get(where.options({ schedulingStrategy: { nodeId: raybox.getRuntimeContext().nodeId, soft: false } }).remote(), { timeout: 30 }),
      };
    }, honestNode);
    expect(after.warmUp).toBe(1);
    expect(after.a).toBe('honest');
    expect(after.b).toBe('honest!');
    expect(after.counter).toBe(2);
    expect(after.onHonest).toBe(honestNode);
    expect(after.onHead).not.toBe(honestNode);
    // The attacker was answered nothing it asked for but a refusal.
    const replies = await rogue.evaluate(() => joined.received.filter((item) => item.type === 'reply'));
    expect(replies.map((r) => [r.requestId, r.ok])).toEqual([
      [7, false],
      [8, false],
    ]);
    expect(JSON.stringify(replies)).not.toContain('honest');
  });
});

describe('code a joiner submits', () => {
  it("runs a nested function the head wrote whole, and refuses a fragment cut from the head's code", async () => {
    const attackerNode = await rogue.evaluate(() => joined.nodeId);
    const honestNode = (await peers(2)).find((id) => id !== attackerNode) as string;
    const nested = await head.evaluate(async ([honestId, attackerId]) => {
      const outer = raybox.remote(async (n: number) => {
        const square = raybox.remote((k: number) => k * k);
        return raybox.get(square.remote(n));
      });
      const spare = raybox.remote((k: number) => k + 1 + 2);
      const pinned = { schedulingStrategy: { nodeId: honestId as string, soft: false } };
      Object.assign(window, { spareRef: spare.options({ schedulingStrategy: { nodeId: attackerId as string, soft: false } }).remote(1) });
      return raybox.get(outer.options(pinned).remote(7), { timeout: 30 });
    }, [honestNode, attackerNode]);
    expect(nested).toBe(49);
    // The attacker cuts `(k) => k + 1` out of the function it was sent, and submits it.
    await rogue.evaluate(async () => {
      for (let i = 0; i < 300 && !joined.received.some((item) => item.type === 'run' && String(item.source).includes('k + 1 + 2')); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const run = joined.received.find((item) => item.type === 'run' && String(item.source).includes('k + 1 + 2')) as { taskId: string; source: string };
      const fragment = run.source.slice(0, run.source.indexOf(' + 2'));
      // The id a worker would give it, so only the trust check can refuse it.
      const hash = attacker.hashSource;
      joined.send([
        {
          type: 'submit',
          taskId: `${joined.workerId}.t50`,
          parentTaskId: null,
          fn: { fnId: hash(fragment), name: 'fragment', source: fragment, streaming: false },
          args: { values: [1], refArgs: null, nestedRefs: [], special: false },
          options: {},
        },
        { type: 'done', taskId: run.taskId, values: [4], sizes: [8], start: 0, end: 0, special: false },
      ]);
    });
    await warned([/refused code 'fragment' submitted by attacker/]);
    expect(await head.evaluate(() => raybox.get((window as unknown as { spareRef: Ref }).spareRef, { timeout: 30 }))).toBe(4);
  });
});

describe('an honest joiner', () => {
  it('uses the refs inside a large result it made, when another of its workers takes that result', async () => {
    const attackerNode = await rogue.evaluate(() => joined.nodeId);
    const honestNode = (await peers(2)).find((id) => id !== attackerNode) as string;
    const out = await head.evaluate(async (nodeId) => {
      const pinned = { schedulingStrategy: { nodeId: nodeId as string, soft: false } };
      // Over 1 MiB, so the joiner would keep it; the ref inside makes it go to the head instead.
      const make = raybox.remote(() => ({ big: new Float32Array(400_000).fill(1), ref: raybox.put('inside') })).options(pinned);
      // An actor there has a worker of its own, which was never handed that ref until the head counts it.
      const User = raybox.remote(
        class User {
          async use(value: { big: Float32Array; ref: Ref }) {
            return [value.big.length, await raybox.get(value.ref)];
          }
        },
      );
      const user = User.options(pinned).remote();
      return raybox.get(user.use.remote(make.remote()), { timeout: 30 });
    }, honestNode);
    expect(out).toEqual([400_000, 'inside']);
  });
});

describe('results a joiner cannot send', () => {
  it("fail their tasks with a TaskError, and the joiner's worker runs the next task", async () => {
    const attackerNode = await rogue.evaluate(() => joined.nodeId);
    const honestNode = (await peers(2)).find((id) => id !== attackerNode) as string;
    const out = await head.evaluate(async (nodeId) => {
      const pinned = { schedulingStrategy: { nodeId: nodeId as string, soft: false } };
      const whereAmI = raybox.remote(() => raybox.getRuntimeContext().workerId).options(pinned);
      const failure = async (ref: Ref) => {
        try {
          await raybox.get(ref, { timeout: 30 });
          return 'resolved';
        } catch (error) {
          return `${(error as Error).name}: ${(error as Error).message}`;
        }
      };
      const before = await raybox.get(whereAmI.remote(), { timeout: 30 });
      const global = await failure(raybox.remote(() => self).options(pinned).remote());
      const holder = await failure(raybox.remote(() => new (class Holder {
        callback = () => 1;
      })()).options(pinned).remote());
      const after = await raybox.get(whereAmI.remote(), { timeout: 30 });
      return { before, global, holder, after };
    }, honestNode);
    expect(out.global).toMatch(/^TaskError: .*the realm's global object/s);
    expect(out.holder).toMatch(/^TaskError: .*cannot be sent to the head \(TypeError: a function cannot be sent to a peer\)/s);
    expect(out.after).toBe(out.before);
  });
});

describe("room code in a joiner's sandbox", () => {
  it('cannot open a WebSocket, reach the signaling server or fetch app pages; it may fetch the wasm binaries', async () => {
    const attackerNode = await rogue.evaluate(() => joined.nodeId);
    const honestNode = (await peers(2)).find((id) => id !== attackerNode) as string;
    const out = await head.evaluate(
      async ([nodeId, appOrigin]) => {
        const probe = raybox.remote(async (base: string) => {
          const reach = async (url: string) => {
            try {
              const response = await fetch(url);
              return `status ${response.status}`;
            } catch (error) {
              return (error as Error).name;
            }
          };
          const socket = await new Promise<string>((resolve) => {
            try {
              const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/signal/peerjs?key=peerjs&id=intruder&token=t`);
              ws.onopen = () => resolve('open');
              ws.onerror = () => resolve('blocked');
            } catch (error) {
              resolve((error as Error).name);
            }
          });
          return {
            socket,
            signaling: await reach(`${base}/signal/peerjs/id`),
            appPage: await reach(`${base}/index.html`),
            wasm: await reach(`${base}/node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm`),
          };
        });
        return raybox.get(probe.options({ schedulingStrategy: { nodeId: nodeId as string, soft: false } }).remote(appOrigin as string), { timeout: 30 });
      },
      [honestNode, origin],
    );
    expect(out).toEqual({ socket: 'blocked', signaling: 'TypeError', appPage: 'TypeError', wasm: 'status 200' });
  });
});

describe('connections that have not proved the passphrase', () => {
  it('are refused at once when they announce 500 MiB, and the head sets nothing aside for them', async () => {
    const cdp = await head.context().newCDPSession(head);
    const heap = async () => ((await cdp.send('Runtime.getHeapUsage')) as unknown as { usedSize: number; backingStorageSize?: number });
    const before = await heap();
    const page = await browser.newPage(attackerUrl);
    const verdicts = await page.evaluate((room) => attacker.announce(room, 3, 500 * 2 ** 20), roomId);
    expect(verdicts).toEqual(Array(3).fill('refused: a bad handshake message: a message of 524288000 bytes is over the 4096-byte limit'));
    const after = await heap();
    // ArrayBuffers live outside the JS heap, as backing stores: neither grew by the announced sizes.
    expect(after.usedSize - before.usedSize).toBeLessThan(16 * 2 ** 20);
    expect(before.backingStorageSize).toBeTypeOf('number');
    expect((after.backingStorageSize ?? 0) - (before.backingStorageSize ?? 0)).toBeLessThan(16 * 2 ** 20);
    await page.close();
  });
});
