import { errorToData } from '../../core/errors.ts';
import { encodePayload, isPrimitive, mergeHandlers, primitiveSize } from '../../protocol/args-codec.ts';
import type { CallActorItem, DoneItem, FromWorker, RunItem } from '../../protocol/messages.ts';
import { decodeValue, handlersReady, type DecodeContext } from '../../protocol/value-codec.ts';
import { explainError, type FunctionCache } from './function-cache.ts';
import { currentTask, setCurrentTask, type TaskContext } from './task-context.ts';

export interface ExecutorLink {
  send(item: FromWorker, transfer?: Transferable[]): void;
}

/** Wraps each task run, e.g. so tensors a task made and did not return are disposed. */
export type TaskWrapper = <T>(run: () => Promise<T> | T) => Promise<T> | T;

export interface WorkItem {
  context: TaskContext;
  /** Runs the work; returns its value or a promise of it. */
  run: () => unknown;
  numReturns: number;
  streaming: boolean;
  /** Task results may be transferred; an actor's may still be held by the actor, so they are copied. */
  transferResults: boolean;
}

/**
 * Runs work one item at a time, in order, as a Ray worker runs one task at a time. An item that
 * returns a promise holds the worker until it settles, unless it waits on the head (`get`, `wait`),
 * in which case the next item starts. With `concurrency > 1` (async actors) several items run at
 * once. Results leave as data: values encoded, errors as ErrorData.
 */
export class Executor {
  #queue: WorkItem[] = [];
  #head = 0;
  #running = new Map<string, WorkItem>();
  #active = 0;
  #pumpQueued = false;
  /** Inside `pump`'s loop, which starts the next item itself when one ends. */
  #pumping = false;
  #link: ExecutorLink;
  #wrap: TaskWrapper;
  readonly concurrency: number;
  /**
   * Tasks and actor calls that finished without error: what the head's dashboard counts as
   * FINISHED, so a joiner's "has finished N" agrees with the head's count.
   */
  tasksRun = 0;

  constructor(link: ExecutorLink, wrap: TaskWrapper, concurrency = 1) {
    this.#link = link;
    this.#wrap = wrap;
    this.concurrency = concurrency;
  }

  get queued(): number {
    return this.#queue.length - this.#head;
  }

  get running(): number {
    return this.#running.size;
  }

  push(item: WorkItem): void {
    this.#queue.push(item);
  }

  context(taskId: string): TaskContext | undefined {
    return this.#running.get(taskId)?.context ?? this.#queue.slice(this.#head).find((w) => w.context.taskId === taskId)?.context;
  }

  /** Drops a queued item (cancelled before it started). Returns true when it was queued. */
  dropQueued(taskId: string): boolean {
    for (let i = this.#head; i < this.#queue.length; i++) {
      if (this.#queue[i]?.context.taskId === taskId) {
        this.#queue.splice(i, 1);
        return true;
      }
    }
    return false;
  }

  /** A running item waits on the head: its slot goes to the next item. */
  blocked(context: TaskContext | null): void {
    if (context && this.#running.has(context.taskId)) {
      this.#active--;
      this.pump();
    }
  }

  resumed(context: TaskContext | null): void {
    if (context && this.#running.has(context.taskId)) this.#active++;
  }

  /** Starts queued items while slots are free. Synchronous items finish inside this loop. */
  pump(): void {
    // Re-entered when a task blocks in `get` inside this loop: the outer loop still runs after.
    const outer = this.#pumping;
    this.#pumping = true;
    try {
      while (this.#active < this.concurrency && this.#head < this.#queue.length) {
        const item = this.#queue[this.#head++] as WorkItem;
        if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
          this.#queue = this.#queue.slice(this.#head);
          this.#head = 0;
        }
        this.#start(item);
      }
    } finally {
      this.#pumping = outer;
    }
    if (this.#head === this.#queue.length && this.#head > 0) {
      this.#queue = [];
      this.#head = 0;
    }
  }

  #start(item: WorkItem): void {
    const start = now();
    const { context } = item;
    this.#running.set(context.taskId, item);
    this.#active++;
    // The context stays while the task runs, across its own awaits, so what it logs or submits
    // is its own; it moves on when the task ends (see #end) or another one starts.
    setCurrentTask(context);
    let result: unknown;
    try {
      result = this.#wrap(item.run);
    } catch (error) {
      this.#fail(item, error, start);
      return;
    }
    if (item.streaming) {
      this.#link.send({ type: 'started', taskId: context.taskId, time: start });
      void this.#stream(item, result, start);
    } else if (isPromiseLike(result)) {
      this.#link.send({ type: 'started', taskId: context.taskId, time: start });
      result.then(
        (value) => this.#done(item, value, start),
        (error: unknown) => this.#fail(item, error, start),
      );
    } else {
      this.#done(item, result, start);
    }
  }

  async #stream(item: WorkItem, generator: unknown, start: number): Promise<void> {
    const { context } = item;
    try {
      const iterator = (await generator) as AsyncIterator<unknown> | Iterator<unknown>;
      for (let index = 0; ; index++) {
        if (context.abort.signal.aborted) break;
        setCurrentTask(context);
        const step = await iterator.next();
        if (step.done) break;
        const payload = encodePayload(step.value, { transfer: item.transferResults, label: `Value ${index} yielded by '${context.name}'`, onClassInstance: (cls) => this.#classLost(cls, context) });
        this.#link.send(
          { type: 'yield', taskId: context.taskId, index, value: payload.value, size: payload.size, special: payload.special, handlers: payload.handlers },
          payload.transfer,
        );
      }
      this.#done(item, undefined, start);
    } catch (error) {
      this.#fail(item, error, start);
    }
  }

  #done(item: WorkItem, value: unknown, start: number): void {
    const { context } = item;
    // The common case, one plain value back, builds nothing it does not send.
    if (item.numReturns === 1 && !item.streaming && isPrimitive(value)) {
      this.#end(item, true);
      this.#link.send({ type: 'done', taskId: context.taskId, values: [value], sizes: [primitiveSize(value)], start, end: now() });
      return;
    }
    let values: unknown[];
    if (item.streaming || item.numReturns === 0) values = [];
    else if (item.numReturns === 1) values = [value];
    else if (Array.isArray(value)) values = value;
    else {
      return this.#fail(
        item,
        new TypeError(`'${context.name}' has numReturns: ${item.numReturns} but returned ${typeof value}. Return an array of ${item.numReturns} values.`),
        start,
      );
    }
    const encoded: unknown[] = [];
    const sizes: number[] = [];
    const transfer: Transferable[] = [];
    let special = false;
    let handlers: string[] | undefined;
    try {
      for (let i = 0; i < values.length; i++) {
        const label = `The value returned by '${context.name}'`;
        const payload = encodePayload(values[i], { transfer: item.transferResults, label, onClassInstance: (cls) => this.#classLost(cls, context) });
        encoded.push(payload.value);
        sizes.push(payload.size);
        transfer.push(...payload.transfer);
        special ||= payload.special;
        handlers = mergeHandlers(handlers, payload.handlers);
      }
    } catch (error) {
      return this.#fail(item, error, start);
    }
    this.#end(item, true);
    const done: DoneItem = { type: 'done', taskId: context.taskId, values: encoded, sizes, start, end: now() };
    if (special) done.special = true;
    if (handlers) done.handlers = handlers;
    this.#link.send(done, transfer);
  }

  /** Once per class in this worker: Ray users expect an instance to keep its class, and here it does not. */
  #classLost(className: string, context: TaskContext): void {
    if (classesWarned.has(className)) return;
    classesWarned.add(className);
    this.#link.send({
      type: 'log',
      taskId: context.taskId,
      level: 'warn',
      text:
        `raybox: '${context.name}' sent an instance of class ${className}; it arrives as a plain object with its data but ` +
        `without its class or methods (structured clone keeps no classes). Send plain data and rebuild it where it arrives ` +
        `(e.g. Object.assign(new ${className}(), value)), or keep the instance in an actor and call its methods there.`,
      time: Date.now(),
    });
  }

  #fail(item: WorkItem, error: unknown, start: number): void {
    this.#end(item, false);
    const explained = explainError(error, item.context.name);
    this.#link.send({ type: 'failed', taskId: item.context.taskId, error: errorToData(explained), start, end: now() });
  }

  #end(item: WorkItem, finished: boolean): void {
    if (!this.#running.delete(item.context.taskId)) return;
    this.#active--;
    if (finished) this.tasksRun++;
    if (currentTask() === item.context) setCurrentTask(this.#running.size === 0 ? null : lastOf(this.#running).context);
    // Start what waits; one microtask however many items end in this turn, none when `pump` is
    // the caller (its loop goes on).
    if (this.#pumping || this.#pumpQueued) return;
    this.#pumpQueued = true;
    queueMicrotask(() => {
      this.#pumpQueued = false;
      this.pump();
    });
  }
}

/** Builds the run of a task item: compile (cached), wait for handlers, decode, call. */
export function taskRun(item: RunItem, functions: FunctionCache, decode: DecodeContext): () => unknown {
  return () => {
    const fn = functions.get(item.fnId, item.source);
    if (typeof fn !== 'function') throw new TypeError(`The remote function '${item.name}' did not compile to a function.`);
    const loading = functions.ready(item.fnId);
    if (!item.special && !loading) return (fn as (...a: unknown[]) => unknown)(...item.args);
    const call = () => (fn as (...a: unknown[]) => unknown)(...(item.special ? (decodeValue(item.args, decode) as unknown[]) : item.args));
    if (!item.handlers && !loading) return call();
    return Promise.all([loading, handlersReady(item.handlers)]).then(call);
  };
}

/** Builds the run of an actor method call on `instance`. */
export function callRun(item: CallActorItem, instance: () => Record<string, unknown>, decode: DecodeContext): () => unknown {
  return () => {
    const target = instance();
    const method = target[item.method];
    if (typeof method !== 'function') {
      throw new TypeError(`The actor has no method '${item.method}'.`);
    }
    if (!item.special) return (method as (...a: unknown[]) => unknown).apply(target, item.args);
    const call = () => (method as (...a: unknown[]) => unknown).apply(target, decodeValue(item.args, decode) as unknown[]);
    return item.handlers ? handlersReady(item.handlers).then(call) : call();
  };
}

function lastOf(running: Map<string, WorkItem>): WorkItem {
  let last: WorkItem | undefined;
  for (const item of running.values()) last = item;
  return last as WorkItem;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Classes this worker has warned about already. */
const classesWarned = new Set<string>();

/** Read once: it is fixed for the worker's life, and a platform getter on every task is not free. */
const timeOrigin = performance.timeOrigin;

export function now(): number {
  return timeOrigin + performance.now();
}
