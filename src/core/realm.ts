import type { ActorDescriptor } from './actor-handle-tag.ts';
import type { ClassDescriptor, FunctionDescriptor } from './function-descriptor.ts';
import type { ObjectRef } from './object-ref.ts';
import type { ObjectRefGenerator } from './object-ref-generator.ts';
import type { ActorMethodOptions, ActorOptions, TaskOptions } from './options.ts';

export interface WaitResult<T = unknown> {
  ready: ObjectRef<T>[];
  notReady: ObjectRef<T>[];
}

export interface CancelOptions {
  /** Terminate the worker running the task. @default false */
  force?: boolean;
  /** Also cancel the tasks it submitted. @default true */
  recursive?: boolean;
}

/**
 * What the public API calls into. The head page has one realm (the driver, which owns objects and
 * schedules); each worker has another that forwards to the head. `remote`, `get`, `put` and the
 * rest are written once against this interface, so a task uses the very same API as the page.
 */
export interface Realm {
  submitTask(fn: FunctionDescriptor, args: unknown[], options: TaskOptions): ObjectRef | ObjectRef[] | ObjectRefGenerator;
  createActor(cls: ClassDescriptor, args: unknown[], options: ActorOptions): ActorDescriptor;
  callActor(
    actor: ActorDescriptor,
    method: string,
    args: unknown[],
    options: ActorMethodOptions,
    streaming: boolean,
  ): ObjectRef | ObjectRef[] | ObjectRefGenerator;
  put(value: unknown): ObjectRef;
  get(refs: ObjectRef[], timeoutS: number | undefined): Promise<unknown[]>;
  wait(refs: ObjectRef[], numReturns: number, timeoutS: number | undefined): Promise<WaitResult>;
  cancel(ref: ObjectRef, options: Required<CancelOptions>): void;
  kill(actor: ActorDescriptor, noRestart: boolean): void;
  getActor(name: string): ActorDescriptor;
  /** The task running here, if any: in the page there is none. */
  taskContext(): { taskId: string; signal: AbortSignal } | null;
  /** The node and worker this code runs on; the page's own node has no worker. */
  runtimeContext(): { nodeId: string; workerId: string | null };
}

let current: Realm | undefined;
let starter: (() => Realm) | undefined;

/** Installs the realm of this page or worker. */
export function setRealm(realm: Realm | undefined): void {
  current = realm;
}

/** How the page starts a realm with defaults when an API call comes before `init`, as Ray does. */
export function setRealmStarter(start: () => Realm): void {
  starter = start;
}

export function currentRealm(): Realm {
  if (current) return current;
  if (starter) return (current = starter());
  throw new Error('raybox is not initialised in this realm: call init() first.');
}

export function hasRealm(): boolean {
  return current !== undefined;
}
