import { RayboxUsageError, RoomError } from '../core/errors.ts';
import type { Backend } from '../core/events.ts';
import { describe } from '../core/options.ts';
import type { JoinerLink } from '../net/joiner-link.ts';
import { RoomHead } from '../net/room-head.ts';
import { RoomJoiner } from '../net/room-joiner.ts';
import { resolveSignaling, type SignalingOptions } from '../net/signaling-config.ts';
import { IframeSandbox } from '../net/worker-sandbox.ts';
import { WorkerPoolNode } from '../workers/host/worker-pool-node.ts';
import type { Driver } from './driver.ts';

export interface OpenRoomOptions {
  /** Joiners must prove they know it; it never travels in clear. */
  passphrase?: string;
}

export interface JoinRoomOptions {
  passphrase?: string;
  /** Workers this page offers. @default max(1, navigator.hardwareConcurrency - 1) */
  numWorkers?: number;
}

/** A peer as the room panel shows it. */
export interface RoomPeer {
  nodeId: string;
  label: string;
  numWorkers: number;
}

export interface RoomState {
  role: 'none' | 'head' | 'joiner';
  roomId: string | null;
  link: string | null;
  peers: RoomPeer[];
  /** For a joiner: the workers it offers, and the room's tasks running in them now and done so far. */
  contribution: { workers: number; running: number; finished: number } | null;
}

type Listener = (state: RoomState) => void;

/**
 * The rooms this page takes part in: at most one, as its head or as a joiner. The head turns each
 * joiner into a node of its driver; a joiner only relays between the head and its sandbox.
 */
export class Rooms {
  #head: { room: RoomHead; link: string; nodes: Map<JoinerLink, WorkerPoolNode> } | undefined;
  #joiner: RoomJoiner | undefined;
  #listeners = new Set<Listener>();
  #driver: () => Driver;
  #signaling: () => SignalingOptions;
  #countGpus: () => Promise<number>;
  #predictBackend: () => Promise<Backend | null>;

  constructor(options: {
    driver: () => Driver;
    signaling: () => SignalingOptions;
    countGpus: () => Promise<number>;
    predictBackend: () => Promise<Backend | null>;
  }) {
    this.#driver = options.driver;
    this.#signaling = options.signaling;
    this.#countGpus = options.countGpus;
    this.#predictBackend = options.predictBackend;
  }

  state(): RoomState {
    if (this.#head) {
      return {
        role: 'head',
        roomId: this.#head.room.roomId,
        link: this.#head.link,
        peers: [...this.#head.nodes.keys()].map((j) => ({ nodeId: j.offer.nodeId, label: j.offer.label, numWorkers: j.offer.numWorkers })),
        contribution: null,
      };
    }
    if (this.#joiner?.joined) return { role: 'joiner', roomId: this.#joinedRoom ?? null, link: null, peers: [], contribution: this.#joiner.activity() };
    return { role: 'none', roomId: null, link: null, peers: [], contribution: null };
  }

  #joinedRoom: string | undefined;

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async open(options: OpenRoomOptions = {}): Promise<{ roomId: string; link: string }> {
    checkKeys(options, ['passphrase'], 'openRoom');
    if (options.passphrase !== undefined && (typeof options.passphrase !== 'string' || options.passphrase === '')) {
      throw new RayboxUsageError('openRoom(): passphrase must be a non-empty string.');
    }
    if (this.#head) return { roomId: this.#head.room.roomId, link: this.#head.link };
    if (this.#joiner?.joined) throw new RoomError('This page has joined a room as a worker; leaveRoom() first to open one.');
    const driver = this.#driver();
    const nodes = new Map<JoinerLink, WorkerPoolNode>();
    const room = new RoomHead({
      signaling: this.#signaling(),
      passphrase: options.passphrase,
      hooks: {
        joined: (joiner) => {
          const node = new WorkerPoolNode(
            {
              nodeId: joiner.offer.nodeId,
              numWorkers: joiner.offer.numWorkers,
              resources: joiner.offer.gpus > 0 ? { GPU: joiner.offer.gpus } : {},
              isLocal: false,
              label: joiner.offer.label,
              backend: (joiner.offer.backend as Backend | null) ?? null,
              spawn: (workerId, events) => joiner.spawn(workerId, events),
              connect: (a, b, key) => joiner.connectWorkers(a, b, key),
              refused: (_workerId, reason) => joiner.offence(reason),
              objects: { fetch: (id) => joiner.fetch(id), free: (ids) => joiner.free(ids) },
            },
            driver,
          );
          nodes.set(joiner, node);
          driver.addNode(node);
          this.#changed();
        },
        left: (joiner, reason) => {
          const node = nodes.get(joiner);
          nodes.delete(joiner);
          if (node) {
            driver.removeNode(node);
            node.lose(`${joiner.offer.label} left the room (${reason})`);
          }
          this.#changed();
        },
      },
    });
    await room.open();
    const url = new URL(location.href);
    url.search = '';
    const signal = new URLSearchParams(location.search).get('signal');
    if (signal !== null) url.searchParams.set('signal', signal);
    url.searchParams.set('room', room.roomId);
    url.hash = '';
    this.#head = { room, link: url.href, nodes };
    this.#changed();
    return { roomId: room.roomId, link: url.href };
  }

  async join(roomId: string, options: JoinRoomOptions = {}): Promise<void> {
    checkKeys(options, ['passphrase', 'numWorkers'], 'joinRoom');
    if (typeof roomId !== 'string' || !/^[0-9a-f]{32}$/.test(roomId)) {
      throw new RayboxUsageError(`joinRoom(): ${describe(roomId)} is not a room id; it is the 32 hex characters after ?room= in the link.`);
    }
    const n = options.numWorkers ?? Math.max(1, (navigator.hardwareConcurrency || 2) - 1);
    if (!Number.isInteger(n) || n < 1 || n > 256) throw new RayboxUsageError(`joinRoom(): numWorkers must be an integer from 1 to 256, got ${describe(n)}.`);
    if (this.#head) throw new RoomError('This page is the head of a room; leaveRoom() first to join another.');
    if (this.#joiner?.joined) throw new RoomError('This page is already in a room; leaveRoom() first.');
    const [gpus, backend] = await Promise.all([this.#countGpus(), this.#predictBackend()]);
    const joiner = new RoomJoiner({
      signaling: this.#signaling(),
      roomId,
      passphrase: options.passphrase,
      numWorkers: n,
      label: `${browserName()} (${n} worker${n === 1 ? '' : 's'})`,
      gpus,
      backend,
      createSandbox: (events) => new IframeSandbox(events),
      onEnded: () => {
        if (this.#joiner === joiner) this.#joiner = undefined;
        this.#changed();
      },
      onActivity: () => this.#changed(),
    });
    this.#joiner = joiner;
    this.#joinedRoom = roomId;
    try {
      await joiner.join();
    } catch (error) {
      this.#joiner = undefined;
      throw error;
    }
    this.#changed();
  }

  async leave(): Promise<void> {
    if (this.#joiner) {
      this.#joiner.leave();
      this.#joiner = undefined;
    }
    const head = this.#head;
    if (head) {
      this.#head = undefined;
      head.room.close();
      const driver = this.#driver();
      for (const [joiner, node] of head.nodes) {
        driver.removeNode(node);
        node.lose(`the room closed; ${joiner.offer.label} is no longer in it`);
      }
    }
    this.#changed();
  }

  #changed(): void {
    const state = this.state();
    for (const listener of this.#listeners) listener(state);
  }
}

function checkKeys(options: object, known: string[], call: string): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new RayboxUsageError(`${call}(): unknown option '${key}'. Known options: ${known.join(', ')}.`);
  }
}

function browserName(): string {
  const ua = navigator.userAgent;
  if (/Firefox\//.test(ua)) return 'Firefox';
  if (/Edg\//.test(ua)) return 'Edge';
  if (/Chrome\//.test(ua)) return 'Chrome';
  if (/Safari\//.test(ua)) return 'Safari';
  return 'A browser';
}

/** The page's signaling server: `init({ signaling })`, else `?signal=`, the build, the app's origin. */
export function pageSignaling(configured: { signaling?: { host: string; port: number; path: string; secure: boolean }; iceServers?: RTCIceServer[] } | undefined): SignalingOptions {
  const resolved = resolveSignaling({ search: location.search, location, env: import.meta.env as Record<string, unknown> });
  return {
    ...resolved,
    ...(configured?.signaling ?? {}),
    config: { iceServers: configured?.iceServers ?? resolved.config.iceServers },
  };
}
