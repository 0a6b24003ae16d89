/**
 * The error tree. Every error raybox raises extends `RayboxError`, has a literal `name`, and says
 * what to do next. Errors cross workers and peers as `ErrorData` and are rebuilt on the other side
 * with `errorFromData`, so `instanceof` and `name` keep working after a hop.
 */

/** An error as plain data: what crosses a worker or peer boundary. */
export interface ErrorData {
  name: string;
  message: string;
  stack?: string;
  /** Extra fields of raybox errors (task name, node, remote error …). */
  details?: Record<string, unknown>;
}

export class RayboxError extends Error {
  override name: string = 'RayboxError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
  /** Fields beyond name/message/stack that `errorFromData` needs to rebuild this error. */
  details(): Record<string, unknown> | undefined {
    return undefined;
  }
}

/** Misuse of the API: a wrong argument, an unknown option, a value that cannot travel. */
export class RayboxUsageError extends RayboxError {
  override readonly name = 'RayboxUsageError';
}

/**
 * A task raised an error. `get` rethrows it with the remote stack; its `cause` is the task's own
 * error rebuilt, as its own class when that class is registered (`instanceof EnvError` works on
 * the page for an error thrown in a worker).
 */
export class TaskError extends RayboxError {
  override readonly name = 'TaskError';
  readonly remoteName: string;
  readonly remoteMessage: string;
  readonly remoteStack: string;
  /** The extra fields of the remote error, when it was a raybox error. */
  readonly remoteDetails: Record<string, unknown> | undefined;
  readonly taskName: string;
  readonly nodeId: string;
  constructor(init: { remoteName: string; remoteMessage: string; remoteStack?: string; remoteDetails?: Record<string, unknown> | undefined; taskName: string; nodeId: string }) {
    super(
      `Task '${init.taskName}' failed on node ${init.nodeId} with ${init.remoteName}: ${init.remoteMessage}\n` +
        `Remote stack:\n${init.remoteStack ?? '(none)'}\n` +
        `Fix the error in '${init.taskName}', or catch it around get().`,
    );
    this.remoteName = init.remoteName;
    this.remoteMessage = init.remoteMessage;
    this.remoteStack = init.remoteStack ?? '';
    this.remoteDetails = init.remoteDetails;
    this.taskName = init.taskName;
    this.nodeId = init.nodeId;
    reviveCause(this);
  }
  override details(): Record<string, unknown> {
    return {
      remoteName: this.remoteName,
      remoteMessage: this.remoteMessage,
      remoteStack: this.remoteStack,
      remoteDetails: this.remoteDetails,
      taskName: this.taskName,
      nodeId: this.nodeId,
    };
  }
}

/** Sets a TaskError's `cause` to the remote error it describes, rebuilt as its own class. */
function reviveCause(error: TaskError): void {
  const data: ErrorData = { name: error.remoteName, message: error.remoteMessage };
  if (error.remoteStack !== '') data.stack = error.remoteStack;
  if (error.remoteDetails !== undefined) data.details = error.remoteDetails;
  Object.defineProperty(error, 'cause', { value: errorFromData(data), writable: true, configurable: true });
}

export class GetTimeoutError extends RayboxError {
  override readonly name = 'GetTimeoutError';
  constructor(timeoutS: number, pending: number) {
    super(
      `get() timed out after ${timeoutS} s with ${pending} object(s) not ready. ` +
        'Raise the timeout, or use wait() to take the results that are ready.',
    );
  }
}

export class TaskCancelledError extends RayboxError {
  override readonly name = 'TaskCancelledError';
  constructor(taskName: string) {
    super(`Task '${taskName}' was cancelled, so its result will never exist. Submit it again if you still need it.`);
  }
}

export class WorkerCrashedError extends RayboxError {
  override readonly name = 'WorkerCrashedError';
  constructor(taskName: string, attempts: number) {
    super(
      `The worker running task '${taskName}' died (closed itself, ran out of memory or was terminated) ` +
        `${attempts} time(s), and no retries are left. Raise maxRetries, or find why the task kills its worker.`,
    );
  }
}

export class ActorDiedError extends RayboxError {
  override readonly name = 'ActorDiedError';
  constructor(actorName: string, reason: string) {
    super(
      `Actor '${actorName}' is dead (${reason}), so it cannot run this call. ` +
        'Create a new actor, or give it maxRestarts to restart on failure.',
    );
  }
}

export class ObjectLostError extends RayboxError {
  override readonly name = 'ObjectLostError';
  constructor(objectId: string, why: string) {
    super(`Object ${objectId} is lost: ${why}. Objects made by put() cannot be rebuilt: keep them on a node that stays.`);
  }
}

export class NodeDiedError extends RayboxError {
  override readonly name = 'NodeDiedError';
  constructor(nodeId: string) {
    super(`Node ${nodeId} died. Its tasks are retried elsewhere while maxRetries allows.`);
  }
}

export class RoomError extends RayboxError {
  override readonly name = 'RoomError';
}

/** Every raybox error class by name, so one that crossed a boundary comes back as itself. */
const errorClasses: Record<string, { prototype: Error }> = {
  RayboxError,
  RayboxUsageError,
  TaskError,
  GetTimeoutError,
  TaskCancelledError,
  WorkerCrashedError,
  ActorDiedError,
  ObjectLostError,
  NodeDiedError,
  RoomError,
};

/**
 * Registers an error class of a higher layer (e.g. TensorFlow.js errors) so it, too, comes back
 * as itself after crossing a boundary.
 */
export function registerErrorClass(name: string, errorClass: { prototype: Error }): void {
  errorClasses[name] = errorClass;
}

/** Registers classes whose `name` is their class name, as raybox's errors are. */
export function registerErrorClasses(...classes: { name: string; prototype: Error }[]): void {
  for (const errorClass of classes) registerErrorClass(errorClass.name, errorClass);
}

/** Serialises any thrown value (an Error or not) so it can cross a boundary. */
export function errorToData(error: unknown): ErrorData {
  if (error instanceof Error) {
    const data: ErrorData = { name: error.name, message: error.message };
    if (error.stack !== undefined) data.stack = error.stack;
    if (error instanceof RayboxError) {
      const details = error.details();
      if (details) data.details = details;
    }
    return data;
  }
  return { name: 'Error', message: `A non-Error value was thrown: ${safeString(error)}` };
}

/**
 * Rebuilds an error from data: registered errors as their own class, anything else as an Error.
 * `data` may come from a peer: only its own fields are read, and details never replace the
 * name, message or stack.
 */
export function errorFromData(data: ErrorData): Error {
  const errorClass = Object.hasOwn(errorClasses, data.name) ? errorClasses[data.name] : undefined;
  const error: Error = errorClass ? (Object.create(errorClass.prototype) as Error) : new Error();
  if (errorClass && data.details) {
    for (const [key, value] of Object.entries(data.details)) {
      if (key !== '__proto__' && key !== 'constructor') Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: true });
    }
  }
  Object.defineProperty(error, 'name', { value: data.name, writable: true, configurable: true });
  Object.defineProperty(error, 'message', { value: data.message, writable: true, configurable: true });
  Object.defineProperty(error, 'stack', { value: data.stack ?? `${data.name}: ${data.message}`, writable: true, configurable: true });
  if (error instanceof TaskError) reviveCause(error);
  return error;
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}
