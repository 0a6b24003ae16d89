import type { HeldObject } from '../core/node.ts';
import type { PoolWorkerLink, WorkerLinkEvents } from '../workers/host/pool-worker-link.ts';
import type { PeerChannel } from './peer-channel.ts';
import { RemoteWorkerLink } from './remote-worker-link.ts';
import type { HeadToSandbox, SandboxToHead } from './room-messages.ts';

/** What a joiner offered when it joined. */
export interface JoinerOffer {
  nodeId: string;
  label: string;
  numWorkers: number;
  gpus: number;
  backend: string | null;
}

/** DataChannel numbers for workers: 0 is the node channel, and SCTP allows up to 1023 here. */
const FIRST_WORKER_CHANNEL = 1;
const LAST_WORKER_CHANNEL = 1023;

/**
 * The head's side of one joiner's node, over the node channel to its sandbox: starts workers
 * there (each with a DataChannel of its own) and fetches the objects the joiner holds. Anything
 * malformed it receives is reported as an offence (the room head disconnects a joiner after
 * too many).
 */
export class JoinerLink {
  readonly offer: JoinerOffer;
  #channel: PeerChannel;
  #openChannel: (id: number, label: string) => RTCDataChannel;
  #workers = new Map<string, RemoteWorkerLink>();
  #channelsInUse = new Set<number>();
  #lastChannel = 0;
  #fetches = new Map<string, Array<{ resolve: (object: HeldObject) => void; reject: (error: Error) => void }>>();
  #offence: (reason: string) => void;

  constructor(offer: JoinerOffer, channel: PeerChannel, openChannel: (id: number, label: string) => RTCDataChannel, offence: (reason: string) => void) {
    this.offer = offer;
    this.#channel = channel;
    this.#openChannel = openChannel;
    this.#offence = offence;
  }

  spawn(workerId: string, events: WorkerLinkEvents): PoolWorkerLink {
    const number = this.#freeChannel();
    this.#channelsInUse.add(number);
    const link = new RemoteWorkerLink(
      workerId,
      {
        channel: this.#openChannel(number, `raybox-${workerId}`),
        spawn: () => this.#channel.send({ type: 'spawn', workerId, channel: number } satisfies HeadToSandbox),
        terminate: () => this.#channel.send({ type: 'terminate', workerId } satisfies HeadToSandbox),
        offence: (reason) => this.#offence(reason),
        released: () => {
          this.#channelsInUse.delete(number);
          if (this.#workers.get(workerId) === link) this.#workers.delete(workerId);
        },
      },
      events,
    );
    this.#workers.set(workerId, link);
    return link;
  }

  /** Asks the sandbox to join two of its workers by a MessageChannel (kept in each under `key`). */
  connectWorkers(workerA: string, workerB: string, key: string): boolean {
    if (!this.#workers.has(workerA) || !this.#workers.has(workerB)) return false;
    this.#channel.send({ type: 'connect', workerA, workerB, key } satisfies HeadToSandbox);
    return true;
  }

  /**
   * The next number after the last one given that is not in use: a number comes round again only
   * after all the others, long after both ends have closed its channel (a browser may refuse a
   * number whose channel it is still closing).
   */
  #freeChannel(): number {
    const span = LAST_WORKER_CHANNEL - FIRST_WORKER_CHANNEL + 1;
    for (let step = 1; step <= span; step++) {
      const n = FIRST_WORKER_CHANNEL + ((this.#lastChannel - FIRST_WORKER_CHANNEL + step + span) % span);
      if (this.#channelsInUse.has(n)) continue;
      this.#lastChannel = n;
      return n;
    }
    throw new Error(`${this.offer.label} has ${this.#channelsInUse.size} worker channels open, the most a connection carries`);
  }

  /** The joiner sent something it may not (malformed, or not its to send): one more bad message. */
  offence(reason: string): void {
    this.#offence(reason);
  }

  /** Asks the joiner for an object it holds. */
  fetch(objectId: string): Promise<HeldObject> {
    return new Promise((resolve, reject) => {
      const waiting = this.#fetches.get(objectId);
      if (waiting) return void waiting.push({ resolve, reject });
      this.#fetches.set(objectId, [{ resolve, reject }]);
      this.#channel.send({ type: 'fetch', objectId } satisfies HeadToSandbox);
    });
  }

  free(objectIds: string[]): void {
    if (objectIds.length > 0) this.#channel.send({ type: 'free', objectIds } satisfies HeadToSandbox);
  }

  /** The joiner is gone: pending fetches fail. */
  closed(reason: string): void {
    for (const waiting of this.#fetches.values()) for (const w of waiting) w.reject(new Error(reason));
    this.#fetches.clear();
  }

  /** A validated message on the node channel. */
  receive(message: Exclude<SandboxToHead, { type: 'alive' }>): void {
    switch (message.type) {
      case 'spawned':
        this.#workers.get(message.workerId)?.spawned(message.backend);
        return;
      case 'died': {
        const link = this.#workers.get(message.workerId);
        this.#workers.delete(message.workerId);
        link?.died(`its worker on ${this.offer.label} stopped: ${message.reason}`);
        return;
      }
      case 'object': {
        const waiting = this.#fetches.get(message.objectId);
        if (!waiting) return this.#offence(`an object nobody asked for (${message.objectId})`);
        this.#fetches.delete(message.objectId);
        for (const w of waiting) {
          if (!message.found) w.reject(new Error(`${this.offer.label} no longer holds object ${message.objectId}`));
          else w.resolve({ value: message.value, special: message.special, handlers: message.handlers ?? undefined, size: message.size });
        }
        return;
      }
    }
  }
}
