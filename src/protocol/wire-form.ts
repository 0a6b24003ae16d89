import type { CallActorItem, DoneItem, RunItem } from './messages.ts';
import { PROTOCOL_VERSION } from './messages.ts';

/**
 * How an envelope travels: `[version, items]`, with the commonest items (a task to run, an actor
 * call, a task done, each without their optional fields) as tuples instead of objects.
 *
 * Why: the structured clone writes every object's keys and rebuilds the object key by key on the
 * other side, which costs more than the rest of a small message. A task's round trip is two
 * envelopes of one item each; as objects they cost about 8 µs more than as arrays of the same
 * values (measured ping-pong, Chromium, 2 cores), a tenth of the whole round trip. The objects of
 * `messages.ts` stay the protocol: a tuple is only their packing, unpacked before an item is
 * checked, so what is validated and what the code reads is the same as before.
 */
export type Envelope = [version: typeof PROTOCOL_VERSION, items: unknown[]];

type PackedRun = ['run', taskId: string, name: string, fnId: string, args: unknown[]];
type PackedCall = ['callActor', taskId: string, name: string, method: string, args: unknown[]];
type PackedDone = ['done', taskId: string, values: unknown[], sizes: number[], start: number, end: number];

/** The envelope for `items`, packed. */
export function envelopeOf(items: readonly unknown[]): Envelope {
  const packed = new Array<unknown>(items.length);
  for (let i = 0; i < items.length; i++) packed[i] = pack(items[i]);
  return [PROTOCOL_VERSION, packed];
}

/** An item as it travels: a tuple where the item has no optional field set, else itself. */
export function pack(item: unknown): unknown {
  if (typeof item !== 'object' || item === null) return item;
  const typed = item as { type?: unknown };
  switch (typed.type) {
    case 'run': {
      const run = item as RunItem;
      if (run.source !== undefined || hasPayloadExtras(run) || run.numReturns !== undefined || run.streaming !== undefined) return item;
      return ['run', run.taskId, run.name, run.fnId, run.args] satisfies PackedRun;
    }
    case 'callActor': {
      const call = item as CallActorItem;
      if (hasPayloadExtras(call) || call.numReturns !== undefined || call.streaming !== undefined) return item;
      return ['callActor', call.taskId, call.name, call.method, call.args] satisfies PackedCall;
    }
    case 'done': {
      const done = item as DoneItem;
      if (done.special !== undefined || done.handlers !== undefined || done.kept !== undefined) return item;
      return ['done', done.taskId, done.values, done.sizes, done.start, done.end] satisfies PackedDone;
    }
    default:
      return item;
  }
}

function hasPayloadExtras(item: RunItem | CallActorItem): boolean {
  return item.special !== undefined || item.handlers !== undefined || item.held !== undefined;
}

/**
 * The object a packed item stands for; anything else as it came. Nothing here is trusted: the
 * result is checked against the schemas like any item (a tuple of the wrong length or kinds
 * gives an object that fails that check, and says which field).
 */
export function unpack(raw: unknown): unknown {
  if (!Array.isArray(raw)) return raw;
  switch (raw[0]) {
    case 'run':
      return raw.length === 5 ? { type: 'run', taskId: raw[1], name: raw[2], fnId: raw[3], args: raw[4] } : raw;
    case 'callActor':
      return raw.length === 5 ? { type: 'callActor', taskId: raw[1], name: raw[2], method: raw[3], args: raw[4] } : raw;
    case 'done':
      return raw.length === 6 ? { type: 'done', taskId: raw[1], values: raw[2], sizes: raw[3], start: raw[4], end: raw[5] } : raw;
    default:
      return raw;
  }
}
