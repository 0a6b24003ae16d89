import type { FromWorker, ToWorker } from '../protocol/messages.ts';
import { checkItem, type Schema } from '../protocol/validate.ts';
import type { RtcSignal } from './direct-channel.ts';

/**
 * What a room's pages say to each other. Each joiner has two DataChannels to the head:
 *
 * - the control channel, ended by the joiner page: the passphrase handshake, heartbeats,
 *   leaving, and the WebRTC offer and answer that open the data channel;
 * - the data channel, ended inside the joiner's sandbox iframe, next to the workers: spawning and
 *   stopping workers, their tasks (`work`) and results (`results`), and objects a joiner holds.
 *
 * Worker items travel inside `work` and `results` unchanged. Each side accepts on a channel only
 * the messages meant for it.
 */
export const ROOM_PROTOCOL_VERSION = 2;

export type HeadToJoiner =
  /** First message: prove you know the passphrase (when `passphrase`) by answering `nonce`. */
  | { type: 'challenge'; v: number; nonce: string; passphrase: boolean }
  | { type: 'welcome'; nodeId: string }
  | { type: 'refused'; reason: string }
  /** Opening the data channel: relayed between the head and the joiner's sandbox. */
  | { type: 'rtc'; signal: RtcSignal }
  | { type: 'ping'; t: number }
  | { type: 'closing'; reason: string };

export type JoinerToHead =
  | { type: 'hello'; v: number; proof: string | null; numWorkers: number; label: string; gpus: number; backend: string | null }
  | { type: 'rtc'; signal: RtcSignal }
  | { type: 'pong'; t: number }
  | { type: 'leaving'; reason: string };

export type HeadToSandbox =
  | { type: 'spawn'; workerId: string }
  | { type: 'terminate'; workerId: string }
  | { type: 'work'; workerId: string; items: ToWorker[] }
  /** Send the object you hold; answered by `object`. */
  | { type: 'fetch'; objectId: string }
  | { type: 'free'; objectIds: string[] };

export type SandboxToHead =
  | { type: 'spawned'; workerId: string; backend: string | null }
  | { type: 'died'; workerId: string; reason: string }
  | { type: 'results'; workerId: string; items: FromWorker[] }
  | { type: 'object'; objectId: string; found: boolean; value: unknown; special: boolean; handlers: string[] | null; size: number }
  /** Sent every second, so the head can tell a live node from a silent one. */
  | { type: 'alive' };

const headToJoiner: Schema = {
  challenge: { v: 'number', nonce: 'string', passphrase: 'boolean' },
  welcome: { nodeId: 'string' },
  refused: { reason: 'string' },
  rtc: { signal: 'object' },
  ping: { t: 'number' },
  closing: { reason: 'string' },
};

const joinerToHead: Schema = {
  hello: { v: 'number', proof: 'string?', numWorkers: 'number', label: 'string', gpus: 'number', backend: 'string?' },
  rtc: { signal: 'object' },
  pong: { t: 'number' },
  leaving: { reason: 'string' },
};

const headToSandbox: Schema = {
  spawn: { workerId: 'string' },
  terminate: { workerId: 'string' },
  work: { workerId: 'string', items: 'array' },
  fetch: { objectId: 'string' },
  free: { objectIds: 'array' },
};

const sandboxToHead: Schema = {
  spawned: { workerId: 'string', backend: 'string?' },
  died: { workerId: 'string', reason: 'string' },
  results: { workerId: 'string', items: 'array' },
  object: { objectId: 'string', found: 'boolean', value: 'any', special: 'boolean', handlers: 'array?', size: 'number' },
  alive: {},
};

export type Checked<T> = { ok: true; message: T } | { ok: false; reason: string };

function checker<T>(schema: Schema): (value: unknown) => Checked<T> {
  return (value) => {
    const problem = checkItem(value, schema);
    return problem ? { ok: false, reason: problem } : { ok: true, message: value as T };
  };
}

export const checkHeadToJoiner = checker<HeadToJoiner>(headToJoiner);
export const checkJoinerToHead = checker<JoinerToHead>(joinerToHead);
export const checkHeadToSandbox = checker<HeadToSandbox>(headToSandbox);
export const checkSandboxToHead = checker<SandboxToHead>(sandboxToHead);
