import type { ActorDescriptor } from '../../core/actor-handle-tag.ts';
import { errorFromData, RayboxUsageError } from '../../core/errors.ts';
import type { ClassDescriptor, FunctionDescriptor } from '../../core/function-descriptor.ts';
import { IdSource, returnId } from '../../core/ids.ts';
import { keepAlive } from '../../core/keep-alive.ts';
import { ObjectRef } from '../../core/object-ref.ts';
import { ObjectRefGenerator } from '../../core/object-ref-generator.ts';
import type { ActorMethodOptions, ActorOptions, TaskOptions } from '../../core/options.ts';
import type { Realm, WaitResult } from '../../core/realm.ts';
import { encodeArgs, encodePayload } from '../../protocol/args-codec.ts';
import type { FromWorker, ReplyItem } from '../../protocol/messages.ts';
import { decodeValue, handlersReady, type DecodeContext } from '../../protocol/value-codec.ts';
import { currentTask, whileBlocked, type TaskContext } from './task-context.ts';

type Request = Extract<FromWorker, { requestId: number }>;
type RequestBody = Request extends infer R ? (R extends Request ? Omit<R, 'requestId'> : never) : never;

export interface WorkerRealmLink {
  send(item: FromWorker): void;
  /** A task starts waiting for the head (it yields the worker to the next task) and stops again. */
  blocked(context: TaskContext | null): void;
  resumed(context: TaskContext | null): void;
}

/**
 * The raybox API inside a worker: submissions, puts and gets become messages to the head, which
 * owns every object. Ids are made here, with this worker's prefix, so `.remote()` and `put()`
 * stay synchronous.
 */
export class WorkerRealm implements Realm {
  #ids: IdSource;
  #link: WorkerRealmLink;
  #decode: DecodeContext;
  #sentFunctions = new Set<string>();
  #requests = new Map<number, { resolve: (reply: ReplyItem) => void }>();
  #nextRequest = 1;
  #namedActors = new Map<string, ActorDescriptor>();

  #where: { nodeId: string; workerId: string };

  constructor(where: { nodeId: string; workerId: string }, link: WorkerRealmLink, decode: DecodeContext) {
    this.#where = where;
    this.#ids = new IdSource(`${where.workerId}.`);
    this.#link = link;
    this.#decode = decode;
  }

  /** Delivers the head's answer to a request. */
  reply(item: ReplyItem): void {
    const request = this.#requests.get(item.requestId);
    if (!request) return;
    this.#requests.delete(item.requestId);
    request.resolve(item);
  }

  setNamedActor(name: string, actor: ActorDescriptor | null): void {
    if (actor) this.#namedActors.set(name, actor);
    else this.#namedActors.delete(name);
  }

  submitTask(fn: FunctionDescriptor, args: unknown[], options: TaskOptions): ObjectRef | ObjectRef[] | ObjectRefGenerator {
    const taskId = this.#ids.taskId();
    const encoded = encodeArgs(args, fn.name);
    this.#link.send({
      type: 'submit',
      taskId,
      parentTaskId: currentTask()?.taskId ?? null,
      fn: this.#once(fn),
      args: encoded,
      options,
    });
    return this.#returns(taskId, fn.streaming, options.numReturns ?? 1);
  }

  createActor(cls: ClassDescriptor, args: unknown[], options: ActorOptions): ActorDescriptor {
    const actorId = this.#ids.actorId();
    const encoded = encodeArgs(args, `${cls.name} constructor`);
    this.#link.send({
      type: 'submitActor',
      actorId,
      parentTaskId: currentTask()?.taskId ?? null,
      cls: { ...cls, source: this.#once(cls).source },
      args: encoded,
      options,
    });
    const descriptor: ActorDescriptor = { actorId, className: cls.name, methods: cls.methods, streamingMethods: cls.streamingMethods };
    if (options.name !== undefined) descriptor.name = options.name;
    return descriptor;
  }

  callActor(actor: ActorDescriptor, method: string, args: unknown[], options: ActorMethodOptions, streaming: boolean): ObjectRef | ObjectRef[] | ObjectRefGenerator {
    const taskId = this.#ids.taskId();
    const encoded = encodeArgs(args, `${actor.className}.${method}`);
    this.#link.send({
      type: 'submitCall',
      taskId,
      parentTaskId: currentTask()?.taskId ?? null,
      actor,
      method,
      streaming,
      args: encoded,
      options,
    });
    return this.#returns(taskId, streaming, options.numReturns ?? 1);
  }

  put(value: unknown): ObjectRef {
    const objectId = this.#ids.putId();
    const payload = encodePayload(value, { label: 'The value given to put()' });
    this.#link.send({ type: 'put', objectId, value: payload.value, size: payload.size, special: payload.special, handlers: payload.handlers });
    return new ObjectRef(objectId);
  }

  async get(refs: ObjectRef[], timeoutS: number | undefined): Promise<unknown[]> {
    const reply = await this.#request({ type: 'get', taskId: currentTask()?.taskId ?? null, ids: refs.map((r) => r.id), timeout: timeoutS ?? null });
    // The refs must outlive the request: if they were collected meanwhile, the head would free
    // the objects this get waits for.
    keepAlive(refs);
    if (!reply.ok) throw errorFromData(reply.error);
    await handlersReady(reply.handlers);
    const values = reply.value as unknown[];
    return reply.special ? (decodeValue(values, this.#decode) as unknown[]) : values;
  }

  async wait(refs: ObjectRef[], numReturns: number, timeoutS: number | undefined): Promise<WaitResult> {
    const reply = await this.#request({
      type: 'wait',
      taskId: currentTask()?.taskId ?? null,
      ids: refs.map((r) => r.id),
      numReturns,
      timeout: timeoutS ?? null,
    });
    keepAlive(refs);
    if (!reply.ok) throw errorFromData(reply.error);
    const ready = new Set(reply.value as string[]);
    return { ready: refs.filter((r) => ready.has(r.id)), notReady: refs.filter((r) => !ready.has(r.id)) };
  }

  cancel(ref: ObjectRef, options: { force: boolean; recursive: boolean }): void {
    this.#link.send({ type: 'cancelRef', objectId: ref.id, force: options.force, recursive: options.recursive });
  }

  kill(actor: ActorDescriptor, noRestart: boolean): void {
    this.#link.send({ type: 'kill', actorId: actor.actorId, name: actor.name, noRestart });
  }

  getActor(name: string): ActorDescriptor {
    const actor = this.#namedActors.get(name);
    if (!actor) {
      throw new RayboxUsageError(`No live actor is named '${name}'. Create it with MyClass.options({ name: '${name}' }).remote() first.`);
    }
    return actor;
  }

  runtimeContext(): { nodeId: string; workerId: string } {
    return this.#where;
  }

  taskContext(): { taskId: string; signal: AbortSignal } | null {
    const context = currentTask();
    return context ? { taskId: context.taskId, signal: context.abort.signal } : null;
  }

  /** The function with its source the first time this worker sends it, and without it after. */
  #once<T extends FunctionDescriptor>(fn: T): T {
    if (this.#sentFunctions.has(fn.fnId)) return { ...fn, source: '' };
    this.#sentFunctions.add(fn.fnId);
    return fn;
  }

  /** Generators of streams this worker submitted: one collected before its end is dropped at the head. */
  #generators = new FinalizationRegistry<string>((taskId) => this.#link.send({ type: 'dropStream', taskId }));

  #returns(taskId: string, streaming: boolean, numReturns: number): ObjectRef | ObjectRef[] | ObjectRefGenerator {
    if (streaming) {
      const generator = new ObjectRefGenerator(taskId, (id, index) => this.#nextRef(id, index));
      this.#generators.register(generator, taskId);
      return generator;
    }
    if (numReturns === 1) return new ObjectRef(returnId(taskId, 0));
    return Array.from({ length: numReturns }, (_, i) => new ObjectRef(returnId(taskId, i)));
  }

  async #nextRef(taskId: string, index: number): Promise<ObjectRef | undefined> {
    const reply = await this.#request({ type: 'next', taskId, index, waiting: currentTask()?.taskId ?? null });
    if (!reply.ok) throw errorFromData(reply.error);
    return reply.value === null ? undefined : new ObjectRef(reply.value as string);
  }

  #request(body: RequestBody): Promise<ReplyItem> {
    const requestId = this.#nextRequest++;
    const answer = new Promise<ReplyItem>((resolve) => this.#requests.set(requestId, { resolve }));
    this.#link.send({ ...body, requestId } as Request);
    return whileBlocked(answer, (c) => this.#link.blocked(c), (c) => this.#link.resumed(c));
  }
}
