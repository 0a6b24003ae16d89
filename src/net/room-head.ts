import { Peer, type DataConnection } from 'peerjs';
import { RoomError } from '../core/errors.ts';
import { Heartbeat, HEARTBEAT } from './heartbeat.ts';
import { JoinerLink } from './joiner-link.ts';
import { newNonce, newRoomId, verify } from './passphrase.ts';
import { PeerChannel } from './peer-channel.ts';
import { checkJoinerToHead, ROOM_PROTOCOL_VERSION, type HeadToJoiner, type JoinerToHead } from './room-messages.ts';
import type { SignalingOptions } from './signaling-config.ts';

export interface RoomHeadHooks {
  /** A joiner passed the handshake; the runtime makes it a node. */
  joined(joiner: JoinerLink): void;
  /** A joiner left, closed its tab or stopped answering. */
  left(joiner: JoinerLink, reason: string): void;
}

export interface RoomHeadOptions {
  signaling: SignalingOptions;
  passphrase?: string | undefined;
  hooks: RoomHeadHooks;
  /** How long a joiner may take to answer the challenge. @default 30 s */
  handshakeMs?: number;
}

let nodeCounter = 0;

/**
 * The head's side of a room: a PeerJS peer whose id is the room id. Each incoming connection must
 * answer a challenge (proving the passphrase when there is one) before it becomes a node.
 */
export class RoomHead {
  readonly roomId = newRoomId();
  #options: RoomHeadOptions;
  #peer: Peer | undefined;
  #joiners = new Map<DataConnection, { link?: JoinerLink; channel: PeerChannel; heartbeat?: Heartbeat }>();
  #closed = false;

  constructor(options: RoomHeadOptions) {
    this.#options = options;
  }

  /** Registers the room with the signaling server. */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const { host, port, path, secure, config } = this.#options.signaling;
      const peer = new Peer(this.roomId, { host, port, path, secure, config, debug: 0 });
      this.#peer = peer;
      const timer = setTimeout(() => reject(new RoomError(`The signaling server at ${host}:${port}${path} did not answer within 10 s. Check it runs, or pass ?signal=.`)), 10_000);
      peer.once('open', () => {
        clearTimeout(timer);
        resolve();
      });
      peer.on('error', (error) => {
        clearTimeout(timer);
        reject(new RoomError(`Could not open the room: ${error.message}. Check the signaling server (?signal=) and try again.`));
      });
      peer.on('connection', (connection) => this.#accept(connection));
    });
  }

  get joiners(): JoinerLink[] {
    return [...this.#joiners.values()].flatMap((j) => (j.link ? [j.link] : []));
  }

  close(reason = 'the head closed the room'): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const [connection, joiner] of this.#joiners) {
      joiner.channel.send({ type: 'closing', reason } satisfies HeadToJoiner);
      joiner.heartbeat?.stop();
      setTimeout(() => connection.close(), 200);
    }
    this.#joiners.clear();
    setTimeout(() => this.#peer?.destroy(), 250);
  }

  #accept(connection: DataConnection): void {
    if (this.#closed) return connection.close();
    connection.once('open', () => {
      const channel = new PeerChannel(connection.dataChannel, {
        message: (value) => this.#receive(connection, value),
        activity: () => this.#joiners.get(connection)?.heartbeat?.heard(),
        invalid: (reason) => {
          const joiner = this.#joiners.get(connection);
          if (joiner?.link) joiner.link.offence(reason);
          else this.#drop(connection, `a bad handshake message: ${reason}`);
        },
        closed: () => this.#drop(connection, 'the connection closed'),
      });
      const nonce = newNonce();
      const state = { channel, nonce };
      this.#joiners.set(connection, { channel });
      this.#handshakes.set(connection, state);
      const challenge = { type: 'challenge', v: ROOM_PROTOCOL_VERSION, nonce, passphrase: this.#options.passphrase !== undefined } satisfies HeadToJoiner;
      channel.send(challenge);
      // The joiner may attach its listener only after the first challenge arrived (each side's
      // 'open' fires in its own time), so the challenge is repeated until answered; the joiner
      // answers the first one it sees.
      const started = Date.now();
      const repeat = setInterval(() => {
        if (!this.#handshakes.has(connection)) return clearInterval(repeat);
        if (Date.now() - started > (this.#options.handshakeMs ?? 30_000)) {
          clearInterval(repeat);
          this.#refuse(connection, 'it did not answer the challenge in time');
          return;
        }
        channel.send(challenge);
      }, 1_500);
    });
  }

  #handshakes = new Map<DataConnection, { channel: PeerChannel; nonce: string }>();

  #receive(connection: DataConnection, value: unknown): void {
    const joiner = this.#joiners.get(connection);
    if (!joiner) return;
    joiner.heartbeat?.heard();
    const checked = checkJoinerToHead(value);
    if (!checked.ok) {
      if (joiner.link) joiner.link.offence(checked.reason);
      else this.#refuse(connection, `its first message was malformed (${checked.reason})`);
      return;
    }
    const message = checked.message;
    const handshake = this.#handshakes.get(connection);
    if (handshake) {
      if (message.type === 'leaving') return this.#drop(connection, `it left before joining (${message.reason})`);
      if (message.type !== 'hello') return this.#refuse(connection, `it sent '${message.type}' before 'hello'`);
      void this.#hello(connection, handshake.nonce, message);
      return;
    }
    if (!joiner.link) return;
    switch (message.type) {
      case 'pong':
        return;
      case 'leaving':
        return this.#drop(connection, `it left (${message.reason})`);
      default:
        joiner.link.receive(message);
    }
  }

  async #hello(connection: DataConnection, nonce: string, hello: Extract<JoinerToHead, { type: 'hello' }>): Promise<void> {
    this.#handshakes.delete(connection);
    const joiner = this.#joiners.get(connection);
    if (!joiner) return;
    if (hello.v !== ROOM_PROTOCOL_VERSION) return this.#refuse(connection, `it speaks room protocol ${hello.v}, this room ${ROOM_PROTOCOL_VERSION}: reload both pages`);
    const passphrase = this.#options.passphrase;
    if (passphrase !== undefined && (hello.proof === null || !(await verify(passphrase, this.roomId, nonce, hello.proof)))) {
      return this.#refuse(connection, 'the passphrase is wrong');
    }
    if (!Number.isInteger(hello.numWorkers) || hello.numWorkers < 1 || hello.numWorkers > 256) {
      return this.#refuse(connection, `it offered ${hello.numWorkers} workers; offer 1 to 256`);
    }
    const nodeId = `peer${++nodeCounter}-${connection.peer.slice(0, 6)}`;
    const link = new JoinerLink(
      { nodeId, label: hello.label.slice(0, 80) || nodeId, numWorkers: hello.numWorkers, gpus: Math.max(0, Math.floor(hello.gpus)), backend: hello.backend },
      joiner.channel,
      (reason) => this.#drop(connection, reason),
    );
    joiner.link = link;
    joiner.channel.send({ type: 'welcome', nodeId } satisfies HeadToJoiner);
    joiner.heartbeat = new Heartbeat({
      ...HEARTBEAT,
      ping: () => joiner.channel.send({ type: 'ping', t: Date.now() } satisfies HeadToJoiner),
      dead: () => this.#drop(connection, 'it stopped answering heartbeats'),
    });
    this.#options.hooks.joined(link);
  }

  #refuse(connection: DataConnection, reason: string): void {
    const joiner = this.#joiners.get(connection);
    joiner?.channel.send({ type: 'refused', reason } satisfies HeadToJoiner);
    console.warn(`raybox: refused a joiner: ${reason}`);
    this.#handshakes.delete(connection);
    this.#joiners.delete(connection);
    setTimeout(() => connection.close(), 200);
  }

  #drop(connection: DataConnection, reason: string): void {
    const joiner = this.#joiners.get(connection);
    if (!joiner) return;
    this.#joiners.delete(connection);
    this.#handshakes.delete(connection);
    joiner.heartbeat?.stop();
    joiner.channel.close();
    connection.close();
    joiner.link?.closed(`${joiner.link.offer.label} left the room`);
    if (joiner.link) this.#options.hooks.left(joiner.link, reason);
  }
}
