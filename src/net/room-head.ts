import { Peer, type DataConnection } from 'peerjs';
import { RoomError } from '../core/errors.ts';
import { checkRtcSignal, DirectChannel } from './direct-channel.ts';
import { Heartbeat, HEARTBEAT, SANDBOX_SILENT_MS } from './heartbeat.ts';
import { JoinerLink, type JoinerOffer } from './joiner-link.ts';
import { newNonce, newRoomId, verify } from './passphrase.ts';
import { PeerChannel } from './peer-channel.ts';
import { checkJoinerToHead, checkSandboxToHead, ROOM_PROTOCOL_VERSION, type HeadToJoiner, type JoinerToHead } from './room-messages.ts';
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
  /** How long a joiner may take to answer the challenge, and then to open its data channel. @default 30 s */
  handshakeMs?: number;
}

let nodeCounter = 0;

/**
 * The largest message a connection may announce before it proved the passphrase (a 'hello' is a
 * few hundred bytes): anything bigger is refused at once, so an unauthenticated peer makes the head
 * set aside no more than this.
 */
export const HANDSHAKE_MAX_BYTES = 4 * 1024;
/** The control channel carries only small messages (heartbeats, WebRTC offers and candidates) even after. */
const CONTROL_MAX_BYTES = 64 * 1024;

/** Bad messages a joiner may send before it is disconnected; until then the room goes on. */
export const MAX_OFFENCES = 20;

/** One connection to the head, from its first message until it leaves. */
interface Joiner {
  connection: DataConnection;
  control: PeerChannel;
  /** Set until the joiner answers the challenge. */
  nonce: string | undefined;
  /** Set once welcomed: the data channel to its sandbox, opening or open. */
  direct?: DirectChannel;
  data?: PeerChannel;
  /** Set once the data channel is open: the joiner is a node. */
  link?: JoinerLink;
  /** Silence on either channel for too long means the joiner is gone. */
  controlBeat?: Heartbeat;
  dataBeat?: Heartbeat;
  offences: number;
}

/**
 * The head's side of a room: a PeerJS peer whose id is the room id. Each incoming connection must
 * answer a challenge (proving the passphrase when there is one); then the head offers it a second
 * DataChannel, which the joiner ends inside its sandbox, and the joiner becomes a node whose
 * tasks and results use that channel. Everything received is validated, per channel.
 */
export class RoomHead {
  readonly roomId = newRoomId();
  #options: RoomHeadOptions;
  #peer: Peer | undefined;
  #joiners = new Map<DataConnection, Joiner>();
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
    for (const joiner of this.#joiners.values()) {
      joiner.control.send({ type: 'closing', reason } satisfies HeadToJoiner);
      this.#stopHeartbeats(joiner);
      setTimeout(() => this.#disconnect(joiner), 200);
    }
    this.#joiners.clear();
    setTimeout(() => this.#peer?.destroy(), 250);
  }

  #accept(connection: DataConnection): void {
    if (this.#closed) return connection.close();
    connection.once('open', () => {
      const control = new PeerChannel(connection.dataChannel, {
        message: (value) => this.#receive(connection, value),
        activity: () => this.#joiners.get(connection)?.controlBeat?.heard(),
        invalid: (reason) => this.#offence(connection, reason),
        closed: () => this.#drop(connection, 'the connection closed'),
      }, { maxMessageBytes: HANDSHAKE_MAX_BYTES });
      const nonce = newNonce();
      this.#joiners.set(connection, { connection, control, nonce, offences: 0 });
      const challenge = { type: 'challenge', v: ROOM_PROTOCOL_VERSION, nonce, passphrase: this.#options.passphrase !== undefined } satisfies HeadToJoiner;
      control.send(challenge);
      // The joiner may attach its listener only after the first challenge arrived (each side's
      // 'open' fires in its own time), so the challenge is repeated until answered; the joiner
      // answers the first one it sees.
      const started = Date.now();
      const repeat = setInterval(() => {
        if (this.#joiners.get(connection)?.nonce === undefined) return clearInterval(repeat);
        if (Date.now() - started > this.#handshakeMs) {
          clearInterval(repeat);
          this.#refuse(connection, 'it did not answer the challenge in time');
          return;
        }
        control.send(challenge);
      }, 1_500);
    });
  }

  get #handshakeMs(): number {
    return this.#options.handshakeMs ?? 30_000;
  }

  /** A message on a joiner's control channel. */
  #receive(connection: DataConnection, value: unknown): void {
    const joiner = this.#joiners.get(connection);
    if (!joiner) return;
    joiner.controlBeat?.heard();
    const checked = checkJoinerToHead(value);
    if (!checked.ok) return this.#offence(connection, checked.reason);
    const message = checked.message;
    if (joiner.nonce !== undefined) {
      if (message.type === 'leaving') return this.#drop(connection, `it left before joining (${message.reason})`);
      if (message.type !== 'hello') return this.#refuse(connection, `it sent '${message.type}' before 'hello'`);
      void this.#hello(joiner, joiner.nonce, message);
      return;
    }
    switch (message.type) {
      case 'pong':
        return;
      case 'leaving':
        return this.#drop(connection, `it left (${message.reason})`);
      case 'rtc': {
        const signal = checkRtcSignal(message.signal);
        if (typeof signal === 'string') return this.#offence(connection, signal);
        void joiner.direct?.signal(signal).then((applied) => {
          if (!applied) this.#offence(connection, 'a WebRTC signal that does not fit the data channel');
        });
        return;
      }
      case 'hello':
        return this.#offence(connection, "a second 'hello'");
    }
  }

  async #hello(joiner: Joiner, nonce: string, hello: Extract<JoinerToHead, { type: 'hello' }>): Promise<void> {
    const { connection } = joiner;
    joiner.nonce = undefined;
    if (hello.v !== ROOM_PROTOCOL_VERSION) return this.#refuse(connection, `it speaks room protocol ${hello.v}, this room ${ROOM_PROTOCOL_VERSION}: reload both pages`);
    const passphrase = this.#options.passphrase;
    if (passphrase !== undefined && (hello.proof === null || !(await verify(passphrase, this.roomId, nonce, hello.proof)))) {
      return this.#refuse(connection, 'the passphrase is wrong');
    }
    if (!Number.isInteger(hello.numWorkers) || hello.numWorkers < 1 || hello.numWorkers > 256) {
      return this.#refuse(connection, `it offered ${hello.numWorkers} workers; offer 1 to 256`);
    }
    if (this.#joiners.get(connection) !== joiner) return;
    joiner.control.maxMessageBytes = CONTROL_MAX_BYTES;
    const nodeId = `peer${++nodeCounter}-${connection.peer.slice(0, 6)}`;
    const offer: JoinerOffer = { nodeId, label: hello.label.slice(0, 80) || nodeId, numWorkers: hello.numWorkers, gpus: Math.max(0, Math.floor(hello.gpus)), backend: hello.backend };
    joiner.control.send({ type: 'welcome', nodeId } satisfies HeadToJoiner);
    joiner.controlBeat = new Heartbeat({
      ...HEARTBEAT,
      ping: () => joiner.control.send({ type: 'ping', t: Date.now() } satisfies HeadToJoiner),
      dead: () => this.#drop(connection, 'it stopped answering heartbeats'),
    });
    this.#openData(joiner, offer);
  }

  /** Offers the welcomed joiner's sandbox a data channel; once it opens, the joiner is a node. */
  #openData(joiner: Joiner, offer: JoinerOffer): void {
    const { connection } = joiner;
    const direct = new DirectChannel('offer', this.#options.signaling.config, (signal) => joiner.control.send({ type: 'rtc', signal } satisfies HeadToJoiner));
    joiner.direct = direct;
    const timer = setTimeout(() => this.#refuse(connection, `its sandbox did not open a data channel within ${this.#handshakeMs / 1000} s`), this.#handshakeMs);
    direct.opened.then(
      (raw) => {
        clearTimeout(timer);
        if (this.#joiners.get(connection) !== joiner) return direct.close();
        const data = new PeerChannel(raw, {
          message: (value) => {
            const checked = checkSandboxToHead(value);
            if (!checked.ok) return this.#offence(connection, checked.reason);
            if (checked.message.type !== 'alive') joiner.link?.receive(checked.message);
          },
          activity: () => joiner.dataBeat?.heard(),
          invalid: (reason) => this.#offence(connection, reason),
          closed: () => this.#drop(connection, 'its data channel closed'),
        });
        joiner.data = data;
        joiner.dataBeat = new Heartbeat({
          intervalMs: HEARTBEAT.intervalMs,
          deadAfterMs: SANDBOX_SILENT_MS,
          ping: () => undefined, // the sandbox says 'alive' every second unasked
          dead: () => this.#drop(connection, 'its sandbox stopped answering heartbeats'),
        });
        joiner.link = new JoinerLink(offer, data, (id, label) => direct.channel(id, label), (reason) => this.#offence(connection, reason));
        this.#options.hooks.joined(joiner.link);
      },
      (error: Error) => {
        clearTimeout(timer);
        this.#refuse(connection, `its sandbox could not open a data channel: ${error.message}`);
      },
    );
  }

  #offence(connection: DataConnection, reason: string): void {
    const joiner = this.#joiners.get(connection);
    if (!joiner) return;
    if (joiner.nonce !== undefined) return this.#refuse(connection, `a bad handshake message: ${reason}`);
    joiner.offences++;
    console.warn(`raybox: dropped a message from ${joiner.link?.offer.label ?? 'a joiner'}: ${reason}`);
    if (joiner.offences === MAX_OFFENCES) this.#drop(connection, `${MAX_OFFENCES} bad messages`);
  }

  #refuse(connection: DataConnection, reason: string): void {
    const joiner = this.#joiners.get(connection);
    if (!joiner) return;
    joiner.control.send({ type: 'refused', reason } satisfies HeadToJoiner);
    console.warn(`raybox: refused a joiner: ${reason}`);
    this.#forget(joiner);
    setTimeout(() => this.#disconnect(joiner), 200);
  }

  #drop(connection: DataConnection, reason: string): void {
    const joiner = this.#joiners.get(connection);
    if (!joiner) return;
    this.#forget(joiner);
    this.#disconnect(joiner);
    joiner.link?.closed(`${joiner.link.offer.label} left the room`);
    if (joiner.link) this.#options.hooks.left(joiner.link, reason);
  }

  #forget(joiner: Joiner): void {
    this.#joiners.delete(joiner.connection);
    this.#stopHeartbeats(joiner);
  }

  #stopHeartbeats(joiner: Joiner): void {
    joiner.controlBeat?.stop();
    joiner.dataBeat?.stop();
  }

  #disconnect(joiner: Joiner): void {
    joiner.data?.close();
    joiner.direct?.close();
    joiner.control.close();
    joiner.connection.close();
  }
}
