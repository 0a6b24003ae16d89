import * as v from 'valibot';
import type { Backend } from '../core/events.ts';
import { checker } from '../protocol/validate.ts';
import { checkRtcSignal, type RtcSignal } from './direct-channel.ts';

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
 * Each side accepts on a channel only the messages meant for it. Each message is a schema
 * (valibot) and its type is inferred from it, so what is checked where it enters and what the code
 * reads cannot drift; every field a joiner can send is checked here, before anything acts on it.
 */
export const ROOM_PROTOCOL_VERSION = 3;

const id = v.pipe(v.string(), v.maxLength(256));
const reason = v.pipe(v.string(), v.maxLength(4096));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const backends = ['webgpu', 'webgl', 'wasm', 'cpu'] as const satisfies readonly Backend[];
const backend = v.nullable(v.picklist(backends));

/** A backend name as the room protocol carries it: one raybox knows, else null. */
export function asBackend(name: string | null): Backend | null {
  return (backends as readonly (string | null)[]).includes(name) ? (name as Backend) : null;
}
/** The WebRTC rules are `checkRtcSignal`'s; callers still take its normalised copy. */
const rtcSignal = v.custom<RtcSignal>(
  (input) => typeof checkRtcSignal(input) !== 'string',
  (issue) => String(checkRtcSignal(issue.input)),
);

const headToJoiner = v.variant('type', [
  /** First message: prove you know the passphrase (when `passphrase`) by answering `nonce`. */
  v.object({ type: v.literal('challenge'), v: v.number(), nonce: id, passphrase: v.boolean() }),
  v.object({ type: v.literal('welcome'), nodeId: id }),
  v.object({ type: v.literal('refused'), reason }),
  /** Opening the data channel: relayed between the head and the joiner's sandbox. */
  v.object({ type: v.literal('rtc'), signal: rtcSignal }),
  v.object({ type: v.literal('ping'), t: v.number() }),
  v.object({ type: v.literal('closing'), reason }),
]);

const joinerToHead = v.variant('type', [
  v.object({
    type: v.literal('hello'),
    v: v.number(),
    proof: v.nullable(v.pipe(v.string(), v.maxLength(1024))),
    numWorkers: v.number(),
    label: v.pipe(v.string(), v.maxLength(1024)),
    gpus: v.pipe(v.number(), v.minValue(0), v.maxValue(64)),
    backend,
  }),
  v.object({ type: v.literal('rtc'), signal: rtcSignal }),
  v.object({ type: v.literal('pong'), t: v.number() }),
  v.object({ type: v.literal('leaving'), reason }),
]);

const headToSandbox = v.variant('type', [
  /** Start a worker, and open DataChannel number `channel` for its tasks and results. */
  v.object({ type: v.literal('spawn'), workerId: id, channel: v.pipe(count, v.maxValue(1023)) }),
  v.object({ type: v.literal('terminate'), workerId: id }),
  /** Join two workers by a MessageChannel, each end kept under `key` (training workers' reductions). */
  v.object({ type: v.literal('connect'), workerA: id, workerB: id, key: v.pipe(v.string(), v.maxLength(256)) }),
  /** Send the object you hold; answered by `object`. */
  v.object({ type: v.literal('fetch'), objectId: id }),
  v.object({ type: v.literal('free'), objectIds: v.array(id) }),
]);

const sandboxToHead = v.variant('type', [
  v.object({ type: v.literal('spawned'), workerId: id, backend }),
  v.object({ type: v.literal('died'), workerId: id, reason }),
  /** A held object's value is task data: the value codec checks it where it is revived. */
  v.object({ type: v.literal('object'), objectId: id, found: v.boolean(), value: v.unknown(), special: v.boolean(), handlers: v.nullable(v.array(v.string())), size: count }),
  /** Sent every second, so the head can tell a live node from a silent one. */
  v.object({ type: v.literal('alive') }),
]);

export type HeadToJoiner = v.InferOutput<typeof headToJoiner>;
export type JoinerToHead = v.InferOutput<typeof joinerToHead>;
export type HeadToSandbox = v.InferOutput<typeof headToSandbox>;
export type SandboxToHead = v.InferOutput<typeof sandboxToHead>;

export type { Checked } from '../protocol/validate.ts';

export const checkHeadToJoiner = checker(headToJoiner);
export const checkJoinerToHead = checker(joinerToHead);
export const checkHeadToSandbox = checker(headToSandbox);
export const checkSandboxToHead = checker(sandboxToHead);
