import type { ActorDescriptor } from '../core/actor-handle-tag.ts';
import type { ErrorData } from '../core/errors.ts';
import type { FunctionDescriptor, ClassDescriptor } from '../core/function-descriptor.ts';
import type { ActorMethodOptions, ActorOptions, TaskOptions } from '../core/options.ts';

/**
 * Everything that crosses between the head and a worker. One postMessage carries an `Envelope`
 * with many items, so a thousand tasks cost one message, not a thousand. Each item has a literal
 * `type`; the unions below are the whole protocol.
 */
export const PROTOCOL_VERSION = 1;

export interface Envelope<T> {
  v: typeof PROTOCOL_VERSION;
  items: T[];
}

/** Encoded values with what the receiver needs to revive them. */
export interface Payload {
  special: boolean;
  handlers?: string[] | undefined;
}

// ── head → worker ─────────────────────────────────────────────────────────────────────────────

/**
 * Arguments that the node holds itself, as [position, object id]: a peer fills them in from its
 * own store before the item reaches a worker.
 */
export interface HeldArgs {
  held?: [number, string][] | undefined;
}

/** Run a task. `source` comes only the first time this worker sees the function. */
export interface RunItem extends Payload, HeldArgs {
  type: 'run';
  taskId: string;
  name: string;
  fnId: string;
  source?: string;
  args: unknown[];
  numReturns: number;
  streaming: boolean;
}

export interface CreateActorItem extends Payload, HeldArgs {
  type: 'createActor';
  actorId: string;
  className: string;
  fnId: string;
  source: string;
  args: unknown[];
  maxConcurrency: number;
}

export interface CallActorItem extends Payload, HeldArgs {
  type: 'callActor';
  taskId: string;
  name: string;
  method: string;
  args: unknown[];
  numReturns: number;
  streaming: boolean;
}

export interface CancelItem {
  type: 'cancel';
  taskId: string;
}

/** The answer to a worker's request (get, wait, getActor, next). */
export type ReplyItem =
  | ({ type: 'reply'; requestId: number; ok: true; value: unknown } & Payload)
  | { type: 'reply'; requestId: number; ok: false; error: ErrorData };

/** A named actor was created (or, with `actor: null`, died): workers resolve `getActor` locally. */
export interface NamedActorItem {
  type: 'namedActor';
  name: string;
  actor: ActorDescriptor | null;
}

export type ToWorker = RunItem | CreateActorItem | CallActorItem | CancelItem | ReplyItem | NamedActorItem;

// ── worker → head ─────────────────────────────────────────────────────────────────────────────

/** Sent when a task did not finish synchronously, so the dashboard shows it running. */
export interface StartedItem {
  type: 'started';
  taskId: string;
  time: number;
}

export interface DoneItem extends Payload {
  type: 'done';
  taskId: string;
  /** One encoded value per return. */
  values: unknown[];
  sizes: number[];
  start: number;
  end: number;
  /** Set by a peer: positions of values it kept (large ones), sent as null here. */
  kept?: number[] | undefined;
}

export interface FailedItem {
  type: 'failed';
  taskId: string;
  error: ErrorData;
  start: number;
  end: number;
}

export interface YieldItem extends Payload {
  type: 'yield';
  taskId: string;
  index: number;
  value: unknown;
  size: number;
}

export interface ActorReadyItem {
  type: 'actorReady';
  actorId: string;
}

export interface ActorFailedItem {
  type: 'actorFailed';
  actorId: string;
  error: ErrorData;
}

/** A task submitted by code running in the worker; the worker chose its id. */
export interface SubmitItem extends Payload {
  type: 'submit';
  taskId: string;
  parentTaskId: string | null;
  fn: FunctionDescriptor;
  args: unknown[];
  refArgs: (string | null)[] | null;
  nestedRefs: string[];
  options: TaskOptions;
}

export interface SubmitActorItem extends Payload {
  type: 'submitActor';
  actorId: string;
  parentTaskId: string | null;
  cls: ClassDescriptor;
  args: unknown[];
  refArgs: (string | null)[] | null;
  nestedRefs: string[];
  options: ActorOptions;
}

export interface SubmitCallItem extends Payload {
  type: 'submitCall';
  taskId: string;
  parentTaskId: string | null;
  actor: ActorDescriptor;
  method: string;
  streaming: boolean;
  args: unknown[];
  refArgs: (string | null)[] | null;
  nestedRefs: string[];
  options: ActorMethodOptions;
}

export interface PutItem extends Payload {
  type: 'put';
  objectId: string;
  value: unknown;
  size: number;
}

export interface GetRequestItem {
  type: 'get';
  requestId: number;
  taskId: string | null;
  ids: string[];
  timeout: number | null;
}

export interface WaitRequestItem {
  type: 'wait';
  requestId: number;
  taskId: string | null;
  ids: string[];
  numReturns: number;
  timeout: number | null;
}

/** Ask for the ref of a streaming task's `index`-th yield; replies with its id or null at the end. */
export interface NextRequestItem {
  type: 'next';
  requestId: number;
  /** The streaming task whose yield is wanted. */
  taskId: string;
  index: number;
  /** The task of this worker that waits for it (null outside a task): its lease is free meanwhile. */
  waiting: string | null;
}

/** Refs collected by the worker's garbage collector: [id, count] pairs. */
export interface ReleaseItem {
  type: 'release';
  counts: [string, number][];
}

export interface LogItem {
  type: 'log';
  taskId: string | null;
  level: 'log' | 'info' | 'warn' | 'error' | 'debug';
  text: string;
  time: number;
}

export interface CancelRequestItem {
  type: 'cancelRef';
  objectId: string;
  force: boolean;
  recursive: boolean;
}

export interface KillRequestItem {
  type: 'kill';
  actorId: string;
  name?: string | undefined;
  noRestart: boolean;
}

/** The worker's generator of a stream it submitted was collected before the end: nobody takes the rest. */
export interface DropStreamItem {
  type: 'dropStream';
  taskId: string;
}

/** The worker is about to close itself: its tasks are lost. */
export interface ClosingItem {
  type: 'closing';
}

export type FromWorker =
  | StartedItem
  | DoneItem
  | FailedItem
  | YieldItem
  | ActorReadyItem
  | ActorFailedItem
  | SubmitItem
  | SubmitActorItem
  | SubmitCallItem
  | PutItem
  | GetRequestItem
  | WaitRequestItem
  | NextRequestItem
  | ReleaseItem
  | LogItem
  | CancelRequestItem
  | KillRequestItem
  | DropStreamItem
  | ClosingItem;

export function assertNever(value: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(value)}`);
}
