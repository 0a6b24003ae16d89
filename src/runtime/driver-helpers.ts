/**
 * Free functions the driver's parts share: task states, new task records, the shapes of worker
 * submissions and replies, error data for events, and the copy `put` stores.
 */
import { makeActorHandle } from '../core/actor-handle.ts';
import { errorToData, type ErrorData } from '../core/errors.ts';
import type { TaskState } from '../core/events.ts';
import { returnId } from '../core/ids.ts';
import type { ObjectEntry } from '../core/object-table.ts';
import { shapeKey } from '../core/resources.ts';
import { encodePayload } from '../protocol/args-codec.ts';
import type { ReplyItem } from '../protocol/messages.ts';
import type { DecodeContext } from '../protocol/value-codec.ts';
import type { ActorCallRecord, FunctionTaskRecord, TaskRecord } from './records.ts';

export const decodeContext: DecodeContext = { reviveActor: (descriptor) => makeActorHandle(descriptor) };

export function isTerminal(state: TaskState): boolean {
  return state === 'FINISHED' || state === 'FAILED' || state === 'CANCELLED';
}

export function hasRetriesLeft(record: TaskRecord): boolean {
  return record.maxRetries === -1 || record.attempts <= record.maxRetries;
}

/** What a submission gives a new record; the rest starts the same for every record. */
type Given = 'kind' | 'id' | 'name' | 'fn' | 'actorId' | 'method' | 'args' | 'numReturns' | 'streaming' | 'resources' | 'strategy' | 'maxRetries' | 'retryExceptions' | 'parent';

/** Either kind of record, as one object type: what the one literal below builds for both. */
type AnyTaskRecord = Omit<TaskRecord, 'kind' | 'fn' | 'actorId' | 'method'> & Pick<TaskRecord, 'kind' | 'fn' | 'actorId' | 'method'>;

/**
 * A task record as submitted. Tasks and actor calls are built by the same literal, so they share
 * one hidden class; the overloads keep each kind's fields together (a task has its function, a
 * call its actor and method).
 */
export function newTaskRecord(given: Pick<FunctionTaskRecord, Given>): FunctionTaskRecord;
export function newTaskRecord(given: Pick<ActorCallRecord, Given>): ActorCallRecord;
export function newTaskRecord(given: Pick<AnyTaskRecord, Given>): AnyTaskRecord {
  // Every field written out, none spread: a spread record keeps half its fields in a separate
  // property array, one more object for each of a million queued tasks.
  return {
    kind: given.kind,
    id: given.id,
    name: given.name,
    fn: given.fn,
    actorId: given.actorId,
    method: given.method,
    args: given.args,
    numReturns: given.numReturns,
    streaming: given.streaming,
    resources: given.resources,
    strategy: given.strategy,
    maxRetries: given.maxRetries,
    retryExceptions: given.retryExceptions,
    parent: given.parent,
    returnIds: returnIds(given.id, given.numReturns),
    shape: shapeKey(given.resources),
    locality: undefined,
    attempts: 0,
    state: 'PENDING_ARGS',
    runningAnnounced: false,
    pendingDeps: 0,
    nodeId: undefined,
    workerId: undefined,
    children: undefined,
    cancelled: false,
    // Every field a record ever gets is here from the start: a field added later (a notebook cell's
    // context) would give records a second hidden class and slow every driver function that reads them.
    context: undefined,
    liveReturns: given.numReturns,
    stream: given.streaming ? { yielded: [], done: false, error: undefined, waiters: [], refs: [], abandoned: false } : undefined,
  };
}

/** Exactly as long as it must be: `push` onto `[]` would reserve 17 slots for every queued task. */
function returnIds(taskId: string, numReturns: number): string[] {
  if (numReturns === 1) return [returnId(taskId, 0)];
  const ids = new Array<string>(numReturns);
  for (let i = 0; i < numReturns; i++) ids[i] = returnId(taskId, i);
  return ids;
}

/** The values of settled entries, in order; throws the first failure. */
export function valuesOf(entries: ObjectEntry[]): unknown[] {
  const values = new Array<unknown>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as ObjectEntry;
    if (entry.state === 'failed') throw entry.error;
    values[i] = entry.value;
  }
  return values;
}

/**
 * A stored value ready to send: re-encoded when it holds refs or actor handles, each counted by
 * `onRef` (and recorded by `onActor`) for the receiver.
 */
export function outgoing(entry: ObjectEntry, onRef: (id: string) => void, onActor?: (actorId: string) => void): unknown {
  if (!entry.special) return entry.value;
  return encodePayload(entry.value, onActor ? { onRef, onActor } : { onRef }).value;
}

export function replyError(requestId: number, error: unknown): ReplyItem {
  return { type: 'reply', requestId, ok: false, error: errorToData(error) };
}

export function toEventError(error: Error): ErrorData {
  return errorToData(error);
}

/** A private copy of a value for the store: typed arrays by memcpy, the rest by structured clone. */
export function copyForStore(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return (value as unknown as { slice(): unknown }).slice();
  if (value instanceof ArrayBuffer) return value.slice(0);
  return structuredClone(value);
}
