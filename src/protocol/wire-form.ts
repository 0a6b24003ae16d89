import type { CallActorItem, DoneItem, RunItem } from './messages.ts';
import { PROTOCOL_VERSION } from './messages.ts';

/**
 * How an envelope travels: `[version, items]`, with the commonest items (a task to run, an actor
 * call, a task done, each without their optional fields) as tuples instead of objects, and a lone
 * such item flat in the envelope: `[version, 'run', taskId, name, fnId]`.
 *
 * Why: the structured clone writes every object's keys and rebuilds the object key by key on the
 * other side, and each nested array costs about as much as a small value. A task's round trip is
 * two envelopes of one item each; as `{ v, items: [{ … }] }` they cost about 12 µs more than flat
 * arrays of the same values (measured ping-pong, Chromium, 2 cores), a sixth of the round trip. The objects of
 * `messages.ts` stay the protocol: a tuple is only their packing, unpacked before an item is
 * checked, so what is validated and what the code reads is the same as before.
 */
export type Envelope = [version: typeof PROTOCOL_VERSION, items: unknown[]] | [version: typeof PROTOCOL_VERSION, ...lone: Packed];

/** A run or actor call without arguments leaves `args` out; a result of one value is `done1`. */
type Packed =
  | [type: 'run', taskId: string, name: string, fnId: string, args?: unknown[]]
  | [type: 'callActor', taskId: string, name: string, method: string, args?: unknown[]]
  | [type: 'done', taskId: string, values: unknown[], sizes: number[], start: number, end: number]
  | [type: 'done1', taskId: string, value: unknown, size: number, start: number, end: number];

/**
 * The envelope for `items`, packed. A lone item that packs goes flat, `[version, 'run', …]`: each
 * array nested in a message costs about as much as a small value in it.
 */
export function envelopeOf(items: readonly unknown[]): Envelope {
  if (items.length === 1) {
    const lone = pack(items[0]);
    if (Array.isArray(lone)) return [PROTOCOL_VERSION, ...(lone as Packed)];
    return [PROTOCOL_VERSION, [lone]];
  }
  const packed = new Array<unknown>(items.length);
  for (let i = 0; i < items.length; i++) packed[i] = pack(items[i]);
  return [PROTOCOL_VERSION, packed];
}

/**
 * The items of an envelope as they travel, unpacked but not checked; `undefined` when the
 * envelope has no items where they should be. The caller checks the version.
 */
export function itemsOf(envelope: readonly unknown[]): unknown[] | undefined {
  const second = envelope[1];
  if (typeof second === 'string') return [unpack(envelope, 1)];
  if (!Array.isArray(second)) return undefined;
  const items = new Array<unknown>(second.length);
  for (let i = 0; i < second.length; i++) items[i] = unpack(second[i]);
  return items;
}

/** An item as it travels: a tuple where the item has no optional field set, else itself. */
export function pack(item: unknown): unknown {
  if (typeof item !== 'object' || item === null) return item;
  const typed = item as { type?: unknown };
  switch (typed.type) {
    case 'run': {
      const run = item as RunItem;
      if (run.source !== undefined || hasPayloadExtras(run) || run.numReturns !== undefined || run.streaming !== undefined) return item;
      return withArgs(['run', run.taskId, run.name, run.fnId], run.args);
    }
    case 'callActor': {
      const call = item as CallActorItem;
      if (hasPayloadExtras(call) || call.numReturns !== undefined || call.streaming !== undefined) return item;
      return withArgs(['callActor', call.taskId, call.name, call.method], call.args);
    }
    case 'done': {
      const done = item as DoneItem;
      if (done.special !== undefined || done.handlers !== undefined || done.kept !== undefined) return item;
      const { taskId, values, sizes, start, end } = done;
      if (values.length === 1 && sizes.length === 1) return ['done1', taskId, values[0], sizes[0] as number, start, end] satisfies Packed;
      return ['done', taskId, values, sizes, start, end] satisfies Packed;
    }
    default:
      return item;
  }
}

function withArgs(head: [string, string, string, string], args: unknown[]): Packed {
  return (args.length === 0 ? head : [...head, args]) as Packed;
}

function hasPayloadExtras(item: RunItem | CallActorItem): boolean {
  return item.special !== undefined || item.handlers !== undefined || item.held !== undefined;
}

/**
 * The object a packed item (read from `raw` at `at`) stands for; anything else as it came.
 * Nothing here is trusted: the result is checked against the schemas like any item (a tuple of
 * the wrong length or kinds gives an object that fails that check, and says which field).
 */
export function unpack(raw: unknown, at = 0): unknown {
  if (!Array.isArray(raw)) return raw;
  const length = raw.length - at;
  switch (raw[at]) {
    case 'run':
      if (length === 4 || length === 5) return { type: 'run', taskId: raw[at + 1], name: raw[at + 2], fnId: raw[at + 3], args: length === 4 ? [] : raw[at + 4] };
      break;
    case 'callActor':
      if (length === 4 || length === 5) return { type: 'callActor', taskId: raw[at + 1], name: raw[at + 2], method: raw[at + 3], args: length === 4 ? [] : raw[at + 4] };
      break;
    case 'done':
      if (length === 6) return { type: 'done', taskId: raw[at + 1], values: raw[at + 2], sizes: raw[at + 3], start: raw[at + 4], end: raw[at + 5] };
      break;
    case 'done1':
      if (length === 6) return { type: 'done', taskId: raw[at + 1], values: [raw[at + 2]], sizes: [raw[at + 3]], start: raw[at + 4], end: raw[at + 5] };
      break;
  }
  return at === 0 ? raw : raw.slice(at);
}
