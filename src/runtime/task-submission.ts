/**
 * Tasks and actor calls from submission to dispatch: the record (its lineage) with its return
 * objects and pinned arguments, the refs handed back to the caller, waiting for dependencies, and
 * offering a ready task to a node.
 */
import type { ActorDescriptor } from '../core/actor-handle-tag.ts';
import type { EncodedArgs } from '../core/encoded.ts';
import { ActorDiedError } from '../core/errors.ts';
import type { FunctionDescriptor } from '../core/function-descriptor.ts';
import { ObjectRef } from '../core/object-ref.ts';
import { ObjectRefGenerator } from '../core/object-ref-generator.ts';
import { requestedResources, type ActorMethodOptions, type TaskOptions } from '../core/options.ts';
import type { Scheduler } from '../core/scheduler/scheduler.ts';
import type { ProtocolNode } from '../protocol/node-host.ts';
import type { ActorLifecycle } from './actor-lifecycle.ts';
import { newTaskRecord } from './driver-helpers.ts';
import type { DriverState } from './driver-state.ts';
import type { ActorCallRecord, FunctionTaskRecord, PlacementRecord, TaskRecord } from './records.ts';
import type { RuntimeEvents } from './runtime-events.ts';
import type { Streams } from './streams.ts';
import type { TaskArguments } from './task-arguments.ts';
import type { TaskCompletion } from './task-completion.ts';
import type { TaskStates } from './task-states.ts';
import type { RefHolder } from './worker-refs.ts';

/** What task submission calls in the other parts. */
export interface SubmissionUses {
  events: Pick<RuntimeEvents, 'task' | 'announceRunning'>;
  states: Pick<TaskStates, 'waitForNode' | 'waitForArgs' | 'dispatched'>;
  args: Pick<TaskArguments, 'pin' | 'resolveDeps' | 'depError' | 'localityOf' | 'lostSinceReady' | 'needsFetch' | 'forDispatch'>;
  scheduler: Pick<Scheduler<PlacementRecord, ProtocolNode>, 'enqueue' | 'submit'>;
  completion: Pick<TaskCompletion, 'finishFailed' | 'cancel'>;
  actors: Pick<ActorLifecycle, 'resolve' | 'flushCalls'>;
  streams: Pick<Streams, 'nextRef' | 'track'>;
  /** Asks for a scheduler pump soon. */
  capacityFreed(): void;
}

type SubmissionTables = Pick<DriverState, 'code' | 'tasks' | 'objects' | 'contexts' | 'workerRefs' | 'nodes'>;

export class TaskSubmission {
  readonly #state: SubmissionTables;
  readonly #uses: SubmissionUses;

  constructor(state: SubmissionTables, uses: SubmissionUses) {
    this.#state = state;
    this.#uses = uses;
  }

  newTask(taskId: string, given: FunctionDescriptor, args: EncodedArgs, options: TaskOptions, parent: string | null): FunctionTaskRecord {
    const fn = this.#state.code.withSource(given);
    const resources = requestedResources(options, 1);
    const numReturns = fn.streaming ? 0 : (options.numReturns ?? 1);
    const record = newTaskRecord({
      kind: 'task',
      id: taskId,
      name: options.name ?? fn.name,
      fn,
      actorId: undefined,
      method: undefined,
      args,
      numReturns,
      streaming: fn.streaming,
      resources,
      strategy: options.schedulingStrategy ?? 'DEFAULT',
      maxRetries: options.maxRetries ?? 3,
      retryExceptions: options.retryExceptions ?? false,
      parent,
    });
    this.#register(record);
    this.#uses.args.resolveDeps(record, () => this.depsReady(record));
    return record;
  }

  newCall(
    taskId: string,
    descriptor: ActorDescriptor,
    method: string,
    args: EncodedArgs,
    options: ActorMethodOptions,
    streaming: boolean,
    parent: string | null,
  ): ActorCallRecord {
    const actors = this.#uses.actors;
    const actor = actors.resolve(descriptor);
    const numReturns = streaming ? 0 : (options.numReturns ?? 1);
    const record = newTaskRecord({
      kind: 'actorCall',
      id: taskId,
      name: options.name ?? `${descriptor.className}.${method}`,
      fn: undefined,
      actorId: actor?.id ?? descriptor.actorId,
      method,
      args,
      numReturns,
      streaming,
      resources: {},
      strategy: 'DEFAULT',
      maxRetries: actor?.maxTaskRetries ?? 0,
      retryExceptions: false,
      parent,
    });
    this.#register(record);
    if (!actor || actor.state === 'DEAD') {
      this.#uses.completion.finishFailed(record, new ActorDiedError(descriptor.name ?? descriptor.className, actor?.deathReason ?? 'it does not exist'));
      return record;
    }
    actor.queue.push(record);
    this.#uses.args.resolveDeps(record, () => actors.flushCalls(actor));
    return record;
  }

  #register(record: TaskRecord): void {
    const { tasks, objects, contexts } = this.#state;
    const uses = this.#uses;
    tasks.set(record.id, record);
    for (const id of record.returnIds) objects.create(id, record.id);
    uses.args.pin(record.args, 1);
    const parent = record.parent ? tasks.get(record.parent) : undefined;
    if (parent) (parent.children ??= new Set()).add(record.id);
    const context = contexts.contextFor(parent, record.parent === null);
    if (context !== undefined) record.context = context;
    uses.events.task(record, 'PENDING_ARGS', {});
    // Submitted in a context already cancelled (code of an interrupted cell that goes on): cancel it
    // once the submission is complete.
    if (contexts.isCancelled(context)) queueMicrotask(() => uses.completion.cancel(record, true, true));
  }

  /** Refs for the caller in this realm; the ObjectRef constructor counts each. */
  returnsOf(record: TaskRecord): ObjectRef | ObjectRef[] | ObjectRefGenerator {
    if (record.streaming) {
      const streams = this.#uses.streams;
      const generator = new ObjectRefGenerator(record.id, (taskId, index) => streams.nextRef(taskId, index));
      streams.track(generator, record.id);
      return generator;
    }
    if (record.numReturns === 1) return new ObjectRef(record.returnIds[0] as string);
    return record.returnIds.map((id) => new ObjectRef(id));
  }

  /** A worker that submitted a task holds one ref per return object. */
  countWorkerReturns(record: TaskRecord, holder: RefHolder): void {
    for (const id of record.returnIds) this.#state.workerRefs.add(holder, id);
    if (record.stream) record.stream.consumer = holder;
  }

  depsReady(record: FunctionTaskRecord): void {
    if (record.state !== 'PENDING_ARGS' && record.state !== 'PENDING_NODE') return;
    const uses = this.#uses;
    const error = uses.args.depError(record.args);
    if (error) return uses.completion.finishFailed(record, error);
    record.locality = uses.args.localityOf(record.args);
    uses.states.waitForNode(record);
    // Submitted in a cancelled context: it waits in the queue, from which its cancel removes it
    // (placed now, it would start and then have to be stopped).
    if (this.#state.contexts.isCancelled(record.context)) uses.scheduler.enqueue(record);
    else if (uses.scheduler.submit(record, this.#state.nodes.list)) return;
    uses.capacityFreed();
  }

  /** The scheduler offers `record` to `node`; true when the node took it (or it left the queue). */
  offer(record: FunctionTaskRecord, node: ProtocolNode): boolean {
    const uses = this.#uses;
    if (uses.args.lostSinceReady(record.args)) {
      uses.states.waitForArgs(record);
      uses.args.resolveDeps(record, () => this.depsReady(record));
      return true; // out of the queue until the argument is rebuilt
    }
    if (uses.args.needsFetch(record.args, node.id, () => uses.capacityFreed())) return false;
    const accepted = node.tryDispatch({
      taskId: record.id,
      name: record.name,
      fnId: record.fn.fnId,
      source: record.fn.source,
      args: (workerId) => uses.args.forDispatch(record.args, node.id, workerId),
      numReturns: record.numReturns,
      streaming: record.streaming,
      resources: record.resources,
      shape: record.shape,
    });
    if (accepted === false) return false;
    uses.states.dispatched(record, node.id, accepted.workerId);
    // A task that starts at once (not queued behind others) is running now: say so now, so a
    // long synchronous task shows as running while it runs.
    if (!accepted.queued) uses.events.announceRunning(record, Date.now());
    return true;
  }
}
