import { joinByChannel } from '../workers/host/pool-worker-link.ts';
import { WorkerLink } from '../workers/host/worker-link.ts';
import { DirectChannel, type RtcSignal } from './direct-channel.ts';
import { HeldObjects } from './held-objects.ts';
import { serveHeldStore } from './held-store-port.ts';
import { HEARTBEAT } from './heartbeat.ts';
import { PeerChannel } from './peer-channel.ts';
import { asBackend, checkHeadToSandbox, type HeadToSandbox, type SandboxToHead } from './room-messages.ts';
import type { FromSandbox, JoinerActivity } from './sandbox-messages.ts';
import { WorkerChannel } from './worker-channel.ts';

export interface SandboxNodeOptions {
  nodeId: string;
  rtcConfig: RTCConfiguration;
  /** Starts one of the room's workers in this sandbox. */
  createWorker: (workerId: string) => Worker;
  /** Whether this browser can hand a DataChannel to a worker (see `canHandOverChannels`). */
  handOverChannels: boolean;
  /** To the joiner page around the sandbox. */
  report: (message: FromSandbox) => void;
}

/** How often the joiner page hears how busy this node is. */
const ACTIVITY_EVERY_MS = 500;

/**
 * A joiner's node, inside its sandbox iframe. The head's first DataChannel ends here and carries
 * the node's business: starting and stopping workers, and objects the node holds. Each worker
 * then gets a DataChannel of its own, handed to the worker itself where the browser allows it
 * (Chromium can; Firefox cannot), so its tasks and results pass no other thread on this side; elsewhere this
 * page passes them on. Large results stay here, in the node's store, until the head asks.
 */
export class SandboxNode {
  readonly #options: SandboxNodeOptions;
  readonly #direct: DirectChannel;
  #channel: PeerChannel | undefined;
  #workers = new Map<string, { link: WorkerLink; relay?: WorkerChannel }>();
  #held = new HeldObjects();
  #timers: Array<ReturnType<typeof setInterval>> = [];
  #lastActivity = '';
  /** Tasks finished by each worker at its last count, and by workers gone since. */
  #finished = new Map<string, number>();
  #finishedByGone = 0;
  #closed = false;
  #handOverChannels: boolean;

  constructor(options: SandboxNodeOptions) {
    this.#options = options;
    this.#handOverChannels = options.handOverChannels;
    this.#direct = new DirectChannel('answer', options.rtcConfig, (signal) => options.report({ type: 'rtc', signal }));
    this.#direct.opened.then(
      (channel) => this.#attach(channel),
      (error: Error) => this.close(`the data channel to the head did not open: ${error.message}`),
    );
  }

  /** A signal from the head, relayed by the joiner page. */
  signal(signal: RtcSignal): void {
    void this.#direct.signal(signal);
  }

  close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const id of [...this.#workers.keys()]) this.#terminate(id);
    this.#held.clear();
    for (const timer of this.#timers) clearInterval(timer);
    this.#channel?.close();
    this.#direct.close();
    this.#options.report({ type: 'closed', reason });
  }

  #attach(raw: RTCDataChannel): void {
    if (this.#closed) return;
    this.#channel = new PeerChannel(raw, {
      message: (value) => {
        const checked = checkHeadToSandbox(value);
        if (!checked.ok) return console.warn(`raybox: dropped a bad message from the head: ${checked.reason}`);
        this.#receive(checked.message);
      },
      invalid: (reason) => console.warn(`raybox: dropped a bad message from the head: ${reason}`),
      closed: () => this.close('the data channel to the head closed'),
    });
    // The head hears from this node every second unasked: an answer to a ping could queue behind
    // a large message the head is sending here, and the head would take the silence for death.
    this.#timers.push(setInterval(() => this.#send({ type: 'alive' }), HEARTBEAT.intervalMs));
    this.#timers.push(setInterval(() => void this.#reportActivity(), ACTIVITY_EVERY_MS));
    this.#options.report({ type: 'attached' });
  }

  #receive(message: HeadToSandbox): void {
    switch (message.type) {
      case 'spawn':
        return this.#spawn(message.workerId, message.channel);
      case 'terminate':
        return this.#terminate(message.workerId);
      case 'connect': {
        const a = this.#workers.get(message.workerA)?.link;
        const b = this.#workers.get(message.workerB)?.link;
        if (!a || !b || a === b) return;
        joinByChannel(a, b, message.key);
        return;
      }
      case 'fetch':
        void this.#held.get([message.objectId]).then(([held]) =>
          this.#send({
            type: 'object',
            objectId: message.objectId,
            found: held !== undefined,
            value: held?.value ?? null,
            special: held?.special ?? false,
            handlers: held?.handlers ?? null,
            size: held?.size ?? 0,
          }),
        );
        return;
      case 'free':
        return this.#held.free(message.objectIds.filter((id): id is string => typeof id === 'string'));
    }
  }

  #spawn(workerId: string, channelId: number): void {
    if (this.#workers.has(workerId) || !Number.isInteger(channelId) || channelId < 1 || channelId > 1023) return;
    const died = (reason: string) => {
      this.#terminate(workerId);
      this.#send({ type: 'died', workerId, reason });
    };
    let raw: RTCDataChannel;
    try {
      raw = this.#direct.channel(channelId, `raybox-${workerId}`);
    } catch (error) {
      // The head starts another worker in its place, on another channel.
      return this.#send({ type: 'died', workerId, reason: `its channel ${channelId} could not be opened: ${String(error)}` });
    }
    const worker = this.#handOver(workerId, raw, died) ?? this.#relay(workerId, raw, died);
    this.#workers.set(workerId, worker);
    const { link } = worker;
    void link
      .ready()
      .then(() => link.backend())
      .then(
        (backend) => this.#send({ type: 'spawned', workerId, backend: asBackend(backend) }),
        () => undefined, // a worker that fails to start reports `died`
      );
  }

  /** A worker that ends `raw` itself; undefined if this browser will not hand it over after all. */
  #handOver(workerId: string, raw: RTCDataChannel, died: (reason: string) => void): { link: WorkerLink } | undefined {
    if (!this.#handOverChannels) return undefined;
    const store = new MessageChannel();
    serveHeldStore(store.port1, this.#held);
    let made: Worker | undefined;
    const create = () => (made = this.#options.createWorker(workerId));
    try {
      // Nothing comes over the worker's own port: its results go straight to the head.
      return { link: new WorkerLink(workerId, this.#options.nodeId, create, { items: () => undefined, died }, {}, { channel: raw, store: store.port2 }) };
    } catch (error) {
      // The hand-over was refused (the channel stays here): pass items on from now on.
      console.warn(`raybox: this browser would not hand a DataChannel to a worker (${String(error)}); passing tasks on instead.`);
      this.#handOverChannels = false;
      made?.terminate();
      store.port1.close();
      return undefined;
    }
  }

  /** A worker whose items this page passes on, to and from `raw`. */
  #relay(workerId: string, raw: RTCDataChannel, died: (reason: string) => void): { link: WorkerLink; relay: WorkerChannel } {
    const create = () => this.#options.createWorker(workerId);
    const link = new WorkerLink(workerId, this.#options.nodeId, create, { items: (items) => relay.send(items), died });
    const relay = new WorkerChannel(raw, this.#held, (items) => items.forEach((item) => link.send(item)), () => undefined);
    return { link, relay };
  }

  #terminate(workerId: string): void {
    const worker = this.#workers.get(workerId);
    this.#workers.delete(workerId);
    this.#finishedByGone += this.#finished.get(workerId) ?? 0;
    this.#finished.delete(workerId);
    worker?.link.terminate();
    worker?.relay?.close();
  }

  /** Sums the workers' own counts, and tells the joiner page when they changed. */
  async #reportActivity(): Promise<void> {
    const counted = await Promise.all(
      [...this.#workers].map(async ([id, { link }]) => ({ id, stats: await link.control.stats().catch(() => ({ tasksRun: 0, running: 0, queued: 0 })) })),
    );
    let running = 0;
    for (const { id, stats } of counted) {
      running += stats.running + stats.queued;
      if (this.#workers.has(id)) this.#finished.set(id, stats.tasksRun);
    }
    const finished = this.#finishedByGone + [...this.#finished.values()].reduce((sum, n) => sum + n, 0);
    const activity: JoinerActivity = { workers: this.#workers.size, running, finished };
    const key = JSON.stringify(activity);
    if (key === this.#lastActivity || this.#closed) return;
    this.#lastActivity = key;
    this.#options.report({ type: 'activity', ...activity });
  }

  #send(message: SandboxToHead): void {
    this.#channel?.send(message);
  }
}

/** Whether this browser lets a page hand a DataChannel to a worker; tried once on a spare connection. */
export function canHandOverChannels(): boolean {
  let connection: RTCPeerConnection | undefined;
  try {
    connection = new RTCPeerConnection();
    const channel = connection.createDataChannel('probe');
    structuredClone(channel, { transfer: [channel as unknown as Transferable] });
    return true;
  } catch {
    return false;
  } finally {
    connection?.close();
  }
}
