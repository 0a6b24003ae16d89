import { Peer, type DataConnection } from 'peerjs';
import { RoomError } from '../core/errors.ts';
import { checkRtcSignal } from './direct-channel.ts';
import { Heartbeat } from './heartbeat.ts';
import { prove } from './passphrase.ts';
import { PeerChannel } from './peer-channel.ts';
import { asBackend, checkHeadToJoiner, ROOM_PROTOCOL_VERSION, type HeadToJoiner, type JoinerToHead } from './room-messages.ts';
import type { JoinerActivity } from './sandbox-messages.ts';
import type { SignalingOptions } from './signaling-config.ts';
import type { SandboxEvents, WorkerSandbox } from './worker-sandbox.ts';

/** How long a joiner waits on a silent head before it leaves the room. */
const HEAD_SILENT_MS = 30_000;

export type { JoinerActivity } from './sandbox-messages.ts';

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
 * starts its sandbox and relays the opening of the data channel between the head and the sandbox.
 * Tasks and results then flow over that channel, which ends inside the sandbox: this page runs no
 * room code and sees none of its data. It keeps the heartbeat, and can leave at any time.
 */
export class RoomJoiner {
  #options: RoomJoinerOptions;
  #peer: Peer | undefined;
  #connection: DataConnection | undefined;
  #channel: PeerChannel | undefined;
  #sandbox: WorkerSandbox | undefined;
  #heartbeat: Heartbeat | undefined;
  #activityNow: JoinerActivity = { workers: 0, running: 0, finished: 0 };
  #attached = false;
  #ended = false;
  #answered = false;
  nodeId: string | undefined;

  constructor(options: RoomJoinerOptions) {
    this.#options = options;
  }

  /** Connects, completes the handshake and opens the data channel; rejects with RoomError when refused or unreachable. */
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
                attached: () => {
                  if (settled) return;
                  settled = true;
                  clearTimeout(timer);
                  resolve();
                },
                refused: (reason) => fail(`Room ${roomId} refused this page: ${reason}.`),
                failed: (reason) => fail(`Could not join room ${roomId}: ${reason}.`),
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
    return this.#attached && !this.#ended;
  }

  async #receive(message: HeadToJoiner, handshake: { attached: () => void; refused: (reason: string) => void; failed: (reason: string) => void }): Promise<void> {
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
        this.#send({ type: 'hello', v: ROOM_PROTOCOL_VERSION, proof, numWorkers, label, gpus, backend: asBackend(backend) });
        return;
      }
      case 'welcome':
        if (this.#sandbox) return; // welcomed once only
        this.nodeId = message.nodeId;
        this.#sandbox = this.#options.createSandbox(this.#sandboxEvents(handshake));
        this.#sandbox.start(message.nodeId, this.#options.signaling.config);
        // Both sides speak at least every second. A ping queued behind a large message reaches
        // the head late, but the chunks of that message count as signs of life meanwhile.
        // The head is its user's own page, often busy for seconds on end (a long synchronous cell,
        // a 64 MiB array being filled): its pings stop while it is, so a joiner waits long before
        // it gives up. A head that closes or crashes closes its connections, which ends the
        // joiner at once.
        this.#heartbeat = new Heartbeat({
          intervalMs: 1000,
          deadAfterMs: HEAD_SILENT_MS,
          ping: () => this.#send({ type: 'pong', t: Date.now() }),
          dead: () => this.#end('the head stopped answering'),
        });
        return;
      case 'refused':
        return handshake.refused(message.reason);
      case 'rtc': {
        const signal = checkRtcSignal(message.signal);
        if (typeof signal === 'string') return console.warn(`raybox: dropped a bad message from the head: ${signal}`);
        return this.#sandbox?.signal(signal);
      }
      case 'ping':
        this.#send({ type: 'pong', t: message.t });
        return;
      case 'closing':
        this.#end(message.reason);
        return;
    }
  }

  #sandboxEvents(handshake: { attached: () => void; failed: (reason: string) => void }): SandboxEvents {
    return {
      signal: (signal) => this.#send({ type: 'rtc', signal }),
      attached: () => {
        this.#attached = true;
        handshake.attached();
      },
      activity: (activity) => {
        this.#activityNow = activity;
        this.#activity();
      },
      closed: (reason) => {
        handshake.failed(`its sandbox stopped (${reason})`);
        this.#end(`the sandbox stopped: ${reason}`);
      },
    };
  }

  /** What this page contributes now; the panel redraws at most once a frame, so this may be often. */
  activity(): JoinerActivity {
    return this.#activityNow;
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
    this.#heartbeat?.stop();
    this.#sandbox?.destroy();
    this.#sandbox = undefined;
    this.#channel?.close();
    this.#connection?.close();
    const peer = this.#peer;
    setTimeout(() => peer?.destroy(), 100);
  }
}
