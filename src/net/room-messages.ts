import type { FromWorker, ToWorker } from '../protocol/messages.ts';
import { checkItem, type Schema } from '../protocol/validate.ts';

/**
 * What head and joiner say to each other over a room's DataChannel. Worker items travel inside
 * `work` (head → joiner) and `results` (joiner → head) unchanged; the rest is membership:
 * the passphrase handshake, spawning and stopping workers, heartbeats, leaving.
 */
export const ROOM_PROTOCOL_VERSION = 1;

export type HeadToJoiner =
  /** First message: prove you know the passphrase (when `passphrase`) by answering `nonce`. */
  | { type: 'challenge'; v: number; nonce: string; passphrase: boolean }
  | { type: 'welcome'; nodeId: string }
  | { type: 'refused'; reason: string }
  | { type: 'spawn'; workerId: string }
  | { type: 'terminate'; workerId: string }
  | { type: 'work'; workerId: string; items: ToWorker[] }
  | { type: 'ping'; t: number }
  /** Send the object you hold; answered by `object`. */
  | { type: 'fetch'; objectId: string }
  | { type: 'free'; objectIds: string[] }
  | { type: 'closing'; reason: string };

export type JoinerToHead =
  | { type: 'hello'; v: number; proof: string | null; numWorkers: number; label: string; gpus: number; backend: string | null }
  | { type: 'spawned'; workerId: string; backend: string | null }
  | { type: 'died'; workerId: string; reason: string }
  | { type: 'results'; workerId: string; items: FromWorker[] }
  | { type: 'pong'; t: number }
  | { type: 'object'; objectId: string; found: boolean; value: unknown; special: boolean; handlers: string[] | null; size: number }
  | { type: 'leaving'; reason: string };

const headToJoiner: Schema = {
  challenge: { v: 'number', nonce: 'string', passphrase: 'boolean' },
  welcome: { nodeId: 'string' },
  refused: { reason: 'string' },
  spawn: { workerId: 'string' },
  terminate: { workerId: 'string' },
  work: { workerId: 'string', items: 'array' },
  ping: { t: 'number' },
  fetch: { objectId: 'string' },
  free: { objectIds: 'array' },
  closing: { reason: 'string' },
};

const joinerToHead: Schema = {
  hello: { v: 'number', proof: 'string?', numWorkers: 'number', label: 'string', gpus: 'number', backend: 'string?' },
  spawned: { workerId: 'string', backend: 'string?' },
  died: { workerId: 'string', reason: 'string' },
  results: { workerId: 'string', items: 'array' },
  pong: { t: 'number' },
  object: { objectId: 'string', found: 'boolean', value: 'any', special: 'boolean', handlers: 'array?', size: 'number' },
  leaving: { reason: 'string' },
};

export type Checked<T> = { ok: true; message: T } | { ok: false; reason: string };

export function checkHeadToJoiner(value: unknown): Checked<HeadToJoiner> {
  const problem = checkItem(value, headToJoiner);
  return problem ? { ok: false, reason: problem } : { ok: true, message: value as HeadToJoiner };
}

export function checkJoinerToHead(value: unknown): Checked<JoinerToHead> {
  const problem = checkItem(value, joinerToHead);
  return problem ? { ok: false, reason: problem } : { ok: true, message: value as JoinerToHead };
}
