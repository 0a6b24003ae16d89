import { checkFromWorkerItems } from '../protocol/validate.ts';
import type { PoolWorkerLink, WorkerLinkEvents } from '../workers/host/pool-worker-link.ts';
import type { PeerChannel } from './peer-channel.ts';
import { RemoteWorkerLink } from './remote-worker-link.ts';
import type { JoinerToHead } from './room-messages.ts';

/** What a joiner offered when it joined. */
export interface JoinerOffer {
  nodeId: string;
  label: string;
  numWorkers: number;
  gpus: number;
  backend: string | null;
}

/**
 * The head's side of one joiner after the handshake: spawns workers there and routes their
 * results back. Anything malformed it receives counts as an offence; past a limit the joiner is
 * disconnected, and until then the room goes on.
 */
export class JoinerLink {
  readonly offer: JoinerOffer;
  #channel: PeerChannel;
  #workers = new Map<string, RemoteWorkerLink>();
  #offences = 0;
  #onOffenceLimit: (reason: string) => void;
  static readonly maxOffences = 20;

  constructor(offer: JoinerOffer, channel: PeerChannel, onOffenceLimit: (reason: string) => void) {
    this.offer = offer;
    this.#channel = channel;
    this.#onOffenceLimit = onOffenceLimit;
  }

  spawn(workerId: string, events: WorkerLinkEvents): PoolWorkerLink {
    const link = new RemoteWorkerLink(workerId, (message) => this.#channel.send(message), events);
    this.#workers.set(workerId, link);
    return link;
  }

  /** A validated message from the joiner. */
  receive(message: JoinerToHead): void {
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
        if (!link) return this.offence(`results for unknown worker ${message.workerId}`);
        try {
          link.events.items(checkFromWorkerItems(message.items));
        } catch (error) {
          this.offence(`bad results: ${String(error)}`);
        }
        return;
      }
      default:
        return;
    }
  }

  offence(reason: string): void {
    this.#offences++;
    console.warn(`raybox: dropped a message from ${this.offer.label}: ${reason}`);
    if (this.#offences === JoinerLink.maxOffences) this.#onOffenceLimit(`${JoinerLink.maxOffences} bad messages`);
  }
}
