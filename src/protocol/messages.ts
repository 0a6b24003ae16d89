import * as v from 'valibot';
import type { ActorDescriptor } from '../core/actor-handle-tag.ts';
import type { ErrorData } from '../core/errors.ts';
import type { ClassDescriptor, FunctionDescriptor } from '../core/function-descriptor.ts';
import { validateActorOptions, validateMethodOptions, validateTaskOptions, type ActorMethodOptions, type ActorOptions, type TaskOptions } from '../core/options.ts';

/**
 * Everything that crosses between the head and a worker. One postMessage carries an envelope
 * (`wire-form.ts`) with many items, so a thousand tasks cost one message, not a thousand. Each item has a literal
 * `type`; the unions below are the whole protocol.
 *
 * Each message is written once, as a schema (valibot); its type is inferred from the schema, so
 * what is checked where a message enters (`validate.ts`) and what the code reads cannot drift.
 * Values of tasks (`args`, `values`, `value`) are task data: they are checked by the code that
 * revives them (`value-codec.ts`), not here.
 */
export const PROTOCOL_VERSION = 4;

// ── pieces ───────────────────────────────────────────────────────────────────────────────────

const id = v.string();
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const time = v.number();
const strings = v.array(v.string());

/**
 * Encoded values with what the receiver needs to revive them. `special` is left out when false,
 * as it nearly always is: every field is structured-cloned on every task's round trip.
 */
const payload = {
  special: v.optional(v.boolean()),
  handlers: v.optional(strings),
};
export interface Payload {
  special?: boolean | undefined;
  handlers?: string[] | undefined;
}

/**
 * Arguments that the node holds itself, as [position, object id]: a peer fills them in from its
 * own store before the item reaches a worker.
 */
const heldArgs = {
  held: v.optional(v.array(v.tuple([count, id]))),
};
export interface HeldArgs {
  held?: [number, string][] | undefined;
}

export const errorDataSchema = v.object({
  name: v.string(),
  message: v.string(),
  stack: v.optional(v.string()),
  details: v.optional(v.record(v.string(), v.unknown())),
});

const functionDescriptor = v.object({ fnId: id, source: v.string(), name: v.string(), streaming: v.boolean() });
const classDescriptor = v.object({ ...functionDescriptor.entries, methods: strings, streamingMethods: strings });
export const actorDescriptorSchema = v.object({ actorId: id, className: v.string(), methods: strings, streamingMethods: strings, name: v.optional(v.string()) });

/** Options are checked by the same rules `remote()` applies; the reason is theirs. */
function optionsSchema<T>(validate: (options: unknown, where: string) => T, where: string) {
  const problem = (input: unknown): string | null => {
    try {
      validate(input, where);
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
  return v.custom<T>((input) => problem(input) === null, (issue) => problem(issue.input) ?? 'bad options');
}
const taskOptions = optionsSchema<TaskOptions>(validateTaskOptions, 'a submitted task');
const actorOptions = optionsSchema<ActorOptions>(validateActorOptions, 'a submitted actor');
const methodOptions = optionsSchema<ActorMethodOptions>(validateMethodOptions, 'a submitted actor call');

/** A submission's arguments as `args-codec` encoded them (`EncodedArgs`), one value in the item. */
const submittedArgs = {
  args: v.object({
    values: v.array(v.unknown()),
    refArgs: v.nullable(v.array(v.nullable(id))),
    nestedRefs: v.pipe(v.array(id), v.readonly()),
    special: v.boolean(),
    handlers: v.optional(strings),
  }),
};

// ── head → worker ─────────────────────────────────────────────────────────────────────────────

/**
 * How many values a task or call returns and whether it streams them: absent for the common
 * case (one value, no stream), since every field is cloned on every round trip.
 */
const returns = {
  /** @default 1 */
  numReturns: v.optional(count),
  /** @default false */
  streaming: v.optional(v.boolean()),
};

/** Run a task. `source` comes only the first time this worker sees the function. */
const runItem = v.object({
  type: v.literal('run'),
  ...payload,
  ...heldArgs,
  ...returns,
  taskId: id,
  name: v.string(),
  fnId: id,
  source: v.optional(v.string()),
  args: v.array(v.unknown()),
});

const createActorItem = v.object({
  type: v.literal('createActor'),
  ...payload,
  ...heldArgs,
  actorId: id,
  className: v.string(),
  fnId: id,
  source: v.string(),
  args: v.array(v.unknown()),
  maxConcurrency: count,
});

const callActorItem = v.object({
  type: v.literal('callActor'),
  ...payload,
  ...heldArgs,
  taskId: id,
  name: v.string(),
  method: v.string(),
  args: v.array(v.unknown()),
  ...returns,
});

const cancelItem = v.object({ type: v.literal('cancel'), taskId: id });

/** The answer to a worker's request (get, wait, getActor, next). */
const replyItem = v.variant('ok', [
  v.object({ type: v.literal('reply'), requestId: count, ok: v.literal(true), value: v.unknown(), ...payload }),
  v.object({ type: v.literal('reply'), requestId: count, ok: v.literal(false), error: errorDataSchema }),
]);

/** A named actor was created (or, with `actor: null`, died): workers resolve `getActor` locally. */
const namedActorItem = v.object({ type: v.literal('namedActor'), name: v.string(), actor: v.nullable(actorDescriptorSchema) });

export const toWorkerSchema = v.variant('type', [runItem, createActorItem, callActorItem, cancelItem, replyItem, namedActorItem]);

export type RunItem = v.InferOutput<typeof runItem>;
export type CreateActorItem = v.InferOutput<typeof createActorItem>;
export type CallActorItem = v.InferOutput<typeof callActorItem>;
export type CancelItem = v.InferOutput<typeof cancelItem>;
export type ReplyItem = v.InferOutput<typeof replyItem>;
export type NamedActorItem = v.InferOutput<typeof namedActorItem>;
export type ToWorker = v.InferOutput<typeof toWorkerSchema>;

// ── worker → head ─────────────────────────────────────────────────────────────────────────────

/** Sent when a task did not finish synchronously, so the dashboard shows it running. */
const startedItem = v.object({ type: v.literal('started'), taskId: id, time });

const doneItem = v.object({
  type: v.literal('done'),
  ...payload,
  taskId: id,
  /** One encoded value per return. */
  values: v.array(v.unknown()),
  sizes: v.array(count),
  start: time,
  end: time,
  /** Set by a peer: positions of values it kept (large ones), sent as null here. */
  kept: v.optional(v.array(count)),
});

const failedItem = v.object({ type: v.literal('failed'), taskId: id, error: errorDataSchema, start: time, end: time });

const yieldItem = v.object({ type: v.literal('yield'), ...payload, taskId: id, index: count, value: v.unknown(), size: count });

const actorReadyItem = v.object({ type: v.literal('actorReady'), actorId: id });

const actorFailedItem = v.object({ type: v.literal('actorFailed'), actorId: id, error: errorDataSchema });

/** A task submitted by code running in the worker; the worker chose its id. */
const submitItem = v.object({
  type: v.literal('submit'),
  ...submittedArgs,
  taskId: id,
  parentTaskId: v.nullable(id),
  fn: functionDescriptor,
  options: taskOptions,
});

const submitActorItem = v.object({
  type: v.literal('submitActor'),
  ...submittedArgs,
  actorId: id,
  parentTaskId: v.nullable(id),
  cls: classDescriptor,
  options: actorOptions,
});

const submitCallItem = v.object({
  type: v.literal('submitCall'),
  ...submittedArgs,
  taskId: id,
  parentTaskId: v.nullable(id),
  actor: actorDescriptorSchema,
  method: v.string(),
  streaming: v.boolean(),
  options: methodOptions,
});

const putItem = v.object({ type: v.literal('put'), ...payload, objectId: id, value: v.unknown(), size: count });

/** A `put` whose value could not be sent (postMessage refused it): the object fails, saying why. */
const putFailedItem = v.object({ type: v.literal('putFailed'), objectId: id, error: errorDataSchema });

const timeout = v.nullable(v.pipe(v.number(), v.minValue(0)));

const getRequestItem = v.object({ type: v.literal('get'), requestId: count, taskId: v.nullable(id), ids: v.array(id), timeout });

const waitRequestItem = v.object({ type: v.literal('wait'), requestId: count, taskId: v.nullable(id), ids: v.array(id), numReturns: count, timeout });

/** Ask for the ref of a streaming task's `index`-th yield; replies with its id or null at the end. */
const nextRequestItem = v.object({
  type: v.literal('next'),
  requestId: count,
  /** The streaming task whose yield is wanted. */
  taskId: id,
  index: count,
  /** The task of this worker that waits for it (null outside a task): its lease is free meanwhile. */
  waiting: v.nullable(id),
});

/** Refs collected by the worker's garbage collector: [id, count] pairs. */
const releaseItem = v.object({ type: v.literal('release'), counts: v.array(v.tuple([id, count])) });

export const logLevels = ['log', 'info', 'warn', 'error', 'debug'] as const;
const logItem = v.object({ type: v.literal('log'), taskId: v.nullable(id), level: v.picklist(logLevels), text: v.string(), time });

const cancelRequestItem = v.object({ type: v.literal('cancelRef'), objectId: id, force: v.boolean(), recursive: v.boolean() });

const killRequestItem = v.object({ type: v.literal('kill'), actorId: id, name: v.optional(v.string()), noRestart: v.boolean() });

/** The worker's generator of a stream it submitted was collected before the end: nobody takes the rest. */
const dropStreamItem = v.object({ type: v.literal('dropStream'), taskId: id });

/** The worker is about to close itself: its tasks are lost. */
const closingItem = v.object({ type: v.literal('closing') });

export const fromWorkerSchema = v.variant('type', [
  startedItem,
  doneItem,
  failedItem,
  yieldItem,
  actorReadyItem,
  actorFailedItem,
  submitItem,
  submitActorItem,
  submitCallItem,
  putItem,
  putFailedItem,
  getRequestItem,
  waitRequestItem,
  nextRequestItem,
  releaseItem,
  logItem,
  cancelRequestItem,
  killRequestItem,
  dropStreamItem,
  closingItem,
]);

export type StartedItem = v.InferOutput<typeof startedItem>;
export type DoneItem = v.InferOutput<typeof doneItem>;
export type FailedItem = v.InferOutput<typeof failedItem>;
export type YieldItem = v.InferOutput<typeof yieldItem>;
export type ActorReadyItem = v.InferOutput<typeof actorReadyItem>;
export type ActorFailedItem = v.InferOutput<typeof actorFailedItem>;
export type SubmitItem = v.InferOutput<typeof submitItem>;
export type SubmitActorItem = v.InferOutput<typeof submitActorItem>;
export type SubmitCallItem = v.InferOutput<typeof submitCallItem>;
export type PutItem = v.InferOutput<typeof putItem>;
export type GetRequestItem = v.InferOutput<typeof getRequestItem>;
export type WaitRequestItem = v.InferOutput<typeof waitRequestItem>;
export type NextRequestItem = v.InferOutput<typeof nextRequestItem>;
export type ReleaseItem = v.InferOutput<typeof releaseItem>;
export type LogItem = v.InferOutput<typeof logItem>;
export type CancelRequestItem = v.InferOutput<typeof cancelRequestItem>;
export type KillRequestItem = v.InferOutput<typeof killRequestItem>;
export type DropStreamItem = v.InferOutput<typeof dropStreamItem>;
export type ClosingItem = v.InferOutput<typeof closingItem>;
export type FromWorker = v.InferOutput<typeof fromWorkerSchema>;

// ── the core's own types, as the schemas see them ────────────────────────────────────────────
// Compile-time only: a field added to a core type and not to its schema (or the other way) fails
// the type check here.

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
export type _SchemasMatchCoreTypes = [
  Holds<Same<v.InferOutput<typeof errorDataSchema>, ErrorData>>,
  Holds<Same<v.InferOutput<typeof functionDescriptor>, FunctionDescriptor>>,
  Holds<Same<v.InferOutput<typeof classDescriptor>, ClassDescriptor>>,
  Holds<Same<v.InferOutput<typeof actorDescriptorSchema>, ActorDescriptor>>,
  Holds<Same<Pick<RunItem, 'special' | 'handlers'>, Payload>>,
  Holds<Same<Pick<RunItem, 'held'>, HeldArgs>>,
];

export function assertNever(value: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(value)}`);
}
