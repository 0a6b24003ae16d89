import { checkItem, type Schema } from '../protocol/validate.ts';
import type { RtcSignal } from './direct-channel.ts';

/**
 * What a room's pages say to each other. Each joiner has these DataChannels to the head:
 *
 * - the control channel (PeerJS), ended by the joiner page: the passphrase handshake,
 *   heartbeats, leaving, and the WebRTC offer and answer of a second connection, whose channels
 *   are the rest;
 * - the node channel, ended inside the joiner's sandbox iframe: starting and stopping workers,
 *   and objects the joiner holds;
 * - one worker channel per worker, ended inside that worker where the browser allows: the
 *   worker protocol's envelopes (`{ v, items }`, see protocol/messages.ts) both ways.
 *
 * Each side accepts on a channel only the messages meant for it.
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
  /** Start a worker, and open DataChannel number `channel` for its tasks and results. */
  | { type: 'spawn'; workerId: string; channel: number }
  | { type: 'terminate'; workerId: string }
  /** Send the object you hold; answered by `object`. */
  | { type: 'fetch'; objectId: string }
  | { type: 'free'; objectIds: string[] };

export type SandboxToHead =
  | { type: 'spawned'; workerId: string; backend: string | null }
  | { type: 'died'; workerId: string; reason: string }
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
  spawn: { workerId: 'string', channel: 'number' },
  terminate: { workerId: 'string' },
  fetch: { objectId: 'string' },
  free: { objectIds: 'array' },
};

const sandboxToHead: Schema = {
  spawned: { workerId: 'string', backend: 'string?' },
  died: { workerId: 'string', reason: 'string' },
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
