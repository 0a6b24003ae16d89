import * as v from 'valibot';
import { checker } from '../protocol/validate.ts';
import { checkRtcSignal, type RtcSignal } from './direct-channel.ts';

/** What a joiner contributes and runs: its workers, and the tasks and calls in them now. */
export interface JoinerActivity {
  workers: number;
  running: number;
  finished: number;
}

/** What the joiner page tells its sandbox, over a MessagePort. */
export type ToSandbox =
  /** Become node `nodeId`, and answer the head's offer of a data channel with this configuration. */
  | { type: 'start'; nodeId: string; rtcConfig: RTCConfiguration }
  | { type: 'rtc'; signal: RtcSignal };

/** What the sandbox tells the joiner page. */
export type FromSandbox =
  | { type: 'rtc'; signal: RtcSignal }
  /** The data channel to the head is open: this node is in the room. */
  | { type: 'attached' }
  | ({ type: 'activity' } & JoinerActivity)
  /** The data channel to the head is gone; the joiner page leaves the room. */
  | { type: 'closed'; reason: string };

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const checkShape = checker(
  v.variant('type', [
    v.object({ type: v.literal('rtc'), signal: v.unknown() }),
    v.object({ type: v.literal('attached') }),
    v.object({ type: v.literal('activity'), workers: count, running: count, finished: count }),
    v.object({ type: v.literal('closed'), reason: v.pipe(v.string(), v.maxLength(4096)) }),
  ]),
);

/** The joiner page trusts nothing from the sandbox's opaque origin without this check. */
export function checkFromSandbox(value: unknown): FromSandbox | string {
  const checked = checkShape(value);
  if (!checked.ok) return checked.reason;
  const message = checked.message;
  if (message.type !== 'rtc') return message;
  const signal = checkRtcSignal(message.signal);
  return typeof signal === 'string' ? signal : { type: 'rtc', signal };
}
