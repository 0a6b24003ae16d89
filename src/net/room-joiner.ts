import { Peer, type DataConnection } from 'peerjs';
import { RoomError } from '../core/errors.ts';
import type { FromWorker } from '../protocol/messages.ts';
import { checkToWorkerItems } from '../protocol/validate.ts';
import { HeldObjects } from './held-objects.ts';
import { Heartbeat } from './heartbeat.ts';
import { prove } from './passphrase.ts';
import { PeerChannel } from './peer-channel.ts';
import { checkHeadToJoiner, ROOM_PROTOCOL_VERSION, type HeadToJoiner, type JoinerToHead } from './room-messages.ts';
import type { SignalingOptions } from './signaling-config.ts';
import type { SandboxEvents, WorkerSandbox } from './worker-sandbox.ts';

/** What a joiner contributes and runs: its workers, and the tasks and calls in them now. */
export interface JoinerActivity {
  workers: number;
  running: number;
  finished: number;
}

export interface RoomJoinerOptions {
  signaling: SignalingOptions;
  roomId: string;
  passphrase?: string | undefined;
  numWorkers: number;
  label: string;
  gpus: number;
  backend: string | null;
  /** Makes the sandbox the room's workers run in. */
  createSandbox: (events: SandboxEvents) => WorkerSandbox;
  /** Called when the room ends for this page: the head left or closed it, or we were dropped. */
  onEnded?: (reason: string) => void;
  /** Work this page runs for the room right now, for the page to show. */
  onActivity?: (activity: JoinerActivity) => void;
}

/**
 * This page's side of a room it joined: it connects to the head only (it accepts no other
 * connection, so it never runs anything sent by another joiner), proves the passphrase, then
 * relays between the head and the workers in its sandbox. It runs no room code itself.
 */
export class RoomJoiner {
  #options: RoomJoinerOptions;
  #peer: Peer | undefined;
  #connection: DataConnection | undefined;
  #channel: PeerChannel | undefined;
  #sandbox: WorkerSandbox | undefined;
  #heartbeat: Heartbeat | undefined;
  #workers = new Set<string>();
  #inFlight = new Set<string>();
  #finished = 0;
  #held = new HeldObjects();
  #ended = false;
  #answered = false;
  nodeId: string | undefined;

  constructor(options: RoomJoinerOptions) {
    this.#options = options;
  }

  /** Connects and completes the handshake; rejects with RoomError when refused or unreachable. */
  join(): Promise<void> {
    const { signaling, roomId } = this.#options;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (message: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#teardown();
        reject(new RoomError(message));
      };
      const timer = setTimeout(() => fail(`Room ${roomId} did not answer within 30 s. Check the link, and that the page that opened it is still open.`), 30_000);
      const { host, port, path, secure, config } = signaling;
      const peer = new Peer({ host, port, path, secure, config, debug: 0 });
      this.#peer = peer;
      // Only the head may talk to this page.
      peer.on('connection', (connection) => connection.close());
      peer.on('error', (error) => {
        const type = (error as { type?: string }).type;
        if (type === 'peer-unavailable') fail(`There is no room ${roomId}: it was closed, or the link is wrong.`);
        else fail(`Could not join room ${roomId}: ${error.message}.`);
      });
      peer.once('open', () => {
        const connection = peer.connect(roomId, { reliable: true, serialization: 'raw' });
        this.#connection = connection;
        connection.once('open', () => {
          this.#channel = new PeerChannel(connection.dataChannel, {
            activity: () => this.#heartbeat?.heard(),
            message: (value) => {
              this.#heartbeat?.heard();
              const checked = checkHeadToJoiner(value);
              if (!checked.ok) return console.warn(`raybox: dropped a bad message from the head: ${checked.reason}`);
              void this.#receive(checked.message, {
                welcome: () => {
                  if (settled) return;
                  settled = true;
                  clearTimeout(timer);
                  resolve();
                },
                refused: (reason) => fail(`Room ${roomId} refused this page: ${reason}.`),
              });
            },
            invalid: (reason) => console.warn(`raybox: dropped a bad message from the head: ${reason}`),
            closed: () => {
              if (!settled) fail(`The connection to room ${roomId} closed during the handshake.`);
              else this.#end('the connection to the head closed');
            },
          });
        });
      });
    });
  }

  /** Leaves the room: the head retries this page's tasks elsewhere. */
  leave(reason = 'the person left'): void {
    this.#send({ type: 'leaving', reason });
    setTimeout(() => this.#end(`left: ${reason}`), 100);
  }

  get joined(): boolean {
    return this.nodeId !== undefined && !this.#ended;
  }

  async #receive(message: HeadToJoiner, handshake: { welcome: () => void; refused: (reason: string) => void }): Promise<void> {
    switch (message.type) {
      case 'challenge': {
        // The head repeats its challenge until answered: answer the first only.
        if (this.#answered) return;
        this.#answered = true;
        const { passphrase, roomId, numWorkers, label, gpus, backend } = this.#options;
        if (message.passphrase && passphrase === undefined) {
          this.#send({ type: 'leaving', reason: 'no passphrase' });
          return handshake.refused('it needs a passphrase; pass joinRoom(roomId, { passphrase })');
        }
        const proof = message.passphrase && passphrase !== undefined ? await prove(passphrase, roomId, message.nonce) : null;
        this.#send({ type: 'hello', v: ROOM_PROTOCOL_VERSION, proof, numWorkers, label, gpus, backend });
        return;
      }
      case 'welcome':
        this.nodeId = message.nodeId;
        this.#sandbox = this.#options.createSandbox({
          ready: (workerId, backend) => this.#send({ type: 'spawned', workerId, backend }),
          results: (workerId, items) => {
            this.#count(items);
            this.#send({ type: 'results', workerId, items: this.#held.keepLarge(items) });
          },
          died: (workerId, reason) => {
            this.#workers.delete(workerId);
            this.#send({ type: 'died', workerId, reason });
            this.#activity();
          },
        });
        // Both sides speak at least every second. A ping queued behind a large message reaches
        // the head late, but the chunks of that message count as signs of life meanwhile.
        this.#heartbeat = new Heartbeat({
          intervalMs: 1000,
          deadAfterMs: 5000,
          ping: () => this.#send({ type: 'pong', t: Date.now() }),
          dead: () => this.#end('the head stopped answering'),
        });
        handshake.welcome();
        return;
      case 'refused':
        return handshake.refused(message.reason);
      case 'spawn':
        this.#workers.add(message.workerId);
        this.#sandbox?.spawn(message.workerId, this.nodeId ?? '');
        this.#activity();
        return;
      case 'terminate':
        this.#workers.delete(message.workerId);
        this.#sandbox?.terminate(message.workerId);
        this.#activity();
        return;
      case 'work':
        if (!this.#workers.has(message.workerId)) return;
        try {
          const items = this.#held.fillHeld(checkToWorkerItems(message.items));
          for (const item of items) if (item.type === 'run' || item.type === 'callActor') this.#inFlight.add(item.taskId);
          this.#sandbox?.send(message.workerId, items);
          this.#activity();
        } catch (error) {
          console.warn(`raybox: dropped bad work from the head: ${String(error)}`);
        }
        return;
      case 'ping':
        this.#send({ type: 'pong', t: message.t });
        return;
      case 'fetch': {
        const held = this.#held.get(message.objectId);
        this.#send({
          type: 'object',
          objectId: message.objectId,
          found: held !== undefined,
          value: held?.value ?? null,
          special: held?.special ?? false,
          handlers: held?.handlers ?? null,
          size: held?.size ?? 0,
        });
        return;
      }
      case 'free':
        this.#held.free(message.objectIds.filter((id): id is string => typeof id === 'string'));
        return;
      case 'closing':
        this.#end(message.reason);
        return;
    }
  }

  #count(items: readonly FromWorker[]): void {
    let changed = false;
    for (const item of items) {
      if ((item.type === 'done' || item.type === 'failed') && this.#inFlight.delete(item.taskId)) {
        this.#finished++;
        changed = true;
      }
    }
    if (changed) this.#activity();
  }

  /** What this page contributes now; the panel redraws at most once a frame, so this may be often. */
  activity(): JoinerActivity {
    return { workers: this.#workers.size, running: this.#inFlight.size, finished: this.#finished };
  }

  #activity(): void {
    this.#options.onActivity?.(this.activity());
  }

  #send(message: JoinerToHead): void {
    this.#channel?.send(message);
  }

  #end(reason: string): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#teardown();
    this.#options.onEnded?.(reason);
  }

  #teardown(): void {
    this.#held.clear();
    this.#heartbeat?.stop();
    this.#sandbox?.destroy();
    this.#sandbox = undefined;
    this.#channel?.close();
    this.#connection?.close();
    const peer = this.#peer;
    setTimeout(() => peer?.destroy(), 100);
  }
}
