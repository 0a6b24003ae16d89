import type { HeldObject } from '../core/node.ts';
import type { FromWorker } from '../protocol/messages.ts';
import { checkFromWorkerItems } from '../protocol/validate.ts';
import type { PoolWorkerLink, WorkerLinkEvents } from '../workers/host/pool-worker-link.ts';
import type { PeerChannel } from './peer-channel.ts';
import { RemoteWorkerLink } from './remote-worker-link.ts';
import type { SandboxToHead } from './room-messages.ts';

/** What a joiner offered when it joined. */
export interface JoinerOffer {
  nodeId: string;
  label: string;
  numWorkers: number;
  gpus: number;
  backend: string | null;
}

/**
 * The head's side of one joiner's node, over the data channel to its sandbox: spawns workers
 * there and routes their results back. Anything malformed it receives is reported as an offence
 * (the room head disconnects a joiner after too many).
 */
export class JoinerLink {
  readonly offer: JoinerOffer;
  #channel: PeerChannel;
  #workers = new Map<string, RemoteWorkerLink>();
  #fetches = new Map<string, Array<{ resolve: (object: HeldObject) => void; reject: (error: Error) => void }>>();
  #offence: (reason: string) => void;

  constructor(offer: JoinerOffer, channel: PeerChannel, offence: (reason: string) => void) {
    this.offer = offer;
    this.#channel = channel;
    this.#offence = offence;
  }

  spawn(workerId: string, events: WorkerLinkEvents): PoolWorkerLink {
    const link = new RemoteWorkerLink(workerId, (message) => this.#channel.send(message), events);
    this.#workers.set(workerId, link);
    return link;
  }

  /** Asks the joiner for an object it holds. */
  fetch(objectId: string): Promise<HeldObject> {
    return new Promise((resolve, reject) => {
      const waiting = this.#fetches.get(objectId);
      if (waiting) return void waiting.push({ resolve, reject });
      this.#fetches.set(objectId, [{ resolve, reject }]);
      this.#channel.send({ type: 'fetch', objectId });
    });
  }

  free(objectIds: string[]): void {
    if (objectIds.length > 0) this.#channel.send({ type: 'free', objectIds });
  }

  /** The joiner is gone: pending fetches fail. */
  closed(reason: string): void {
    for (const waiting of this.#fetches.values()) for (const w of waiting) w.reject(new Error(reason));
    this.#fetches.clear();
  }

  /** A validated message from the joiner. */
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
      case 'results': {
        const link = this.#workers.get(message.workerId);
        if (!link) return this.#offence(`results for unknown worker ${message.workerId}`);
        try {
          link.events.items(checkKept(checkFromWorkerItems(message.items)));
        } catch (error) {
          this.#offence(`bad results: ${String(error)}`);
        }
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

/** `kept` positions must name values of the item, each once. */
function checkKept(items: FromWorker[]): FromWorker[] {
  for (const item of items) {
    if (item.type !== 'done' || item.kept === undefined) continue;
    const kept: unknown = item.kept;
    if (!Array.isArray(kept) || kept.some((i) => !Number.isInteger(i) || i < 0 || i >= item.values.length) || new Set(kept).size !== kept.length) {
      throw new Error("a result's 'kept' list does not match its values");
    }
  }
  return items;
}
