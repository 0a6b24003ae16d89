/**
 * How tasks and actor calls end: results stored (at the head, or where a peer keeps them),
 * failures turned into TaskErrors, retries after exceptions or lost workers, cancellation, and
 * the final state event. A finished record stays while its results live (see lineage.ts).
 */
import { TaskCancelledError, TaskError, WorkerCrashedError, type ErrorData } from '../core/errors.ts';
import type { ClusterNode } from '../core/node.ts';
import type { Scheduler } from '../core/scheduler/scheduler.ts';
import type { FromWorker } from '../protocol/messages.ts';
import { decodeValue, handlersAreReady, handlersReady } from '../protocol/value-codec.ts';
import { decodeContext, hasRetriesLeft, isTerminal, toEventError } from './driver-helpers.ts';
import type { DriverState } from './driver-state.ts';
import type { Lineage } from './lineage.ts';
import type { FunctionTaskRecord, PlacementRecord, TaskRecord } from './records.ts';
import type { Streams } from './streams.ts';
import type { EndState, TaskStates } from './task-states.ts';

/** A task's results as its worker reports them. */
export type TaskDone = Extract<FromWorker, { type: 'done' }>;

/** What task completion calls in the other parts. */
export interface CompletionUses {
  states: Pick<TaskStates, 'again' | 'ended'>;
  streams: Pick<Streams, 'end'>;
  lineage: Pick<Lineage, 'dropTask'>;
  scheduler: Pick<Scheduler<PlacementRecord>, 'enqueue' | 'remove'>;
  /** Asks for a scheduler pump soon. */
  capacityFreed(): void;
}

export class TaskCompletion {
  readonly #state: Pick<DriverState, 'tasks' | 'actors' | 'objects' | 'nodes'>;
  readonly #uses: CompletionUses;

  constructor(state: Pick<DriverState, 'tasks' | 'actors' | 'objects' | 'nodes'>, uses: CompletionUses) {
    this.#state = state;
    this.#uses = uses;
  }

  onDone(node: ClusterNode, done: TaskDone): void {
    const record = this.#state.tasks.get(done.taskId);
    if (!record || record.nodeId !== node.id || isTerminal(record.state)) return; // late or duplicate
    if (record.numReturns > 1 && done.values.length !== record.numReturns) {
      return this.finishFailed(
        record,
        new TaskError({
          remoteName: 'RayboxUsageError',
          remoteMessage: `'${record.name}' has numReturns: ${record.numReturns} but returned ${done.values.length} value(s). Return an array of exactly ${record.numReturns} values.`,
          taskName: record.name,
          nodeId: node.id,
        }),
      );
    }
    if (done.special && !handlersAreReady(done.handlers)) {
      // A value that needs a library first (a tensor on a page that has not loaded TensorFlow.js):
      // load it, then store; a failure to load fails the task instead of leaving it RUNNING.
      handlersReady(done.handlers).then(
        () => {
          if (!isTerminal(record.state)) this.#store(node, record, done);
        },
        (error: unknown) => {
          if (!isTerminal(record.state)) this.finishFailed(record, decodeFailure(record.name, node.id, error), { time: done.end, start: done.start });
        },
      );
      return;
    }
    this.#store(node, record, done);
  }

  #store(node: ClusterNode, record: TaskRecord, done: TaskDone): void {
    const { values, sizes, handlers, kept, start, end } = done;
    const special = done.special === true;
    // Results a peer keeps stay there (the head records where); the rest are decoded and stored here.
    const keptThere = (i: number): boolean => !node.isLocal && kept?.includes(i) === true;
    let decoded: unknown[];
    try {
      decoded = values.map((value, i) => (special && !keptThere(i) ? decodeValue(value, decodeContext) : value));
    } catch (error) {
      return this.finishFailed(record, decodeFailure(record.name, node.id, error), { time: end, start });
    }
    for (let i = 0; i < record.returnIds.length; i++) {
      const id = record.returnIds[i] as string;
      if (keptThere(i)) this.#state.objects.resolveRemote(id, node.id, sizes[i] ?? 0, special, handlers);
      else this.#state.objects.resolve(id, decoded[i], sizes[i] ?? 0, special, handlers);
    }
    if (record.stream) this.#uses.streams.end(record, undefined);
    this.#finish(record, 'FINISHED', { time: end, start });
  }

  onFailed(node: ClusterNode, taskId: string, data: ErrorData, start: number, end: number): void {
    const record = this.#state.tasks.get(taskId);
    if (!record || record.nodeId !== node.id || isTerminal(record.state)) return;
    const retry = record.retryExceptions;
    const retryable = retry === true || (Array.isArray(retry) && retry.includes(data.name));
    if (retryable && !record.cancelled && hasRetriesLeft(record)) {
      this.#requeue(record);
      return;
    }
    const error = new TaskError({
      remoteName: data.name,
      remoteMessage: data.message,
      remoteStack: data.stack ?? '',
      remoteDetails: data.details,
      taskName: record.name,
      nodeId: node.id,
    });
    this.finishFailed(record, error, { time: end, start });
  }

  #requeue(record: TaskRecord): void {
    this.#uses.states.again(record, 'PENDING_NODE');
    if (record.kind === 'actorCall') {
      const actor = this.#state.actors.get(record.actorId);
      if (actor) {
        actor.running.delete(record.id);
        actor.queue.unshift(record);
      }
      return;
    }
    this.#uses.scheduler.enqueue(record);
    this.#uses.capacityFreed();
  }

  /**
   * A system failure (worker or peer lost) under a task, not an actor call (those follow their
   * actor: actor-lifecycle.ts): retry while allowed, else fail.
   */
  retryOrFail(record: FunctionTaskRecord): void {
    if (record.cancelled) return this.#finishCancelled(record);
    if (hasRetriesLeft(record)) return this.#requeue(record);
    this.finishFailed(record, new WorkerCrashedError(record.name, record.attempts));
  }

  finishFailed(record: TaskRecord, error: Error, timing: { time?: number; start?: number } = {}): void {
    for (const id of record.returnIds) this.#state.objects.fail(id, error);
    if (record.stream) this.#uses.streams.end(record, error);
    this.#finish(record, 'FAILED', { ...timing, error: toEventError(error) });
  }

  #finishCancelled(record: TaskRecord): void {
    const error = new TaskCancelledError(record.name);
    for (const id of record.returnIds) this.#state.objects.fail(id, error);
    if (record.stream) this.#uses.streams.end(record, error);
    this.#finish(record, 'CANCELLED', {});
  }

  #finish(record: TaskRecord, state: EndState, extra: { time?: number; start?: number; error?: ErrorData }): void {
    const { tasks, actors } = this.#state;
    this.#uses.states.ended(record, state, extra);
    if (record.parent) tasks.get(record.parent)?.children?.delete(record.id);
    if (record.kind === 'actorCall') actors.get(record.actorId)?.running.delete(record.id);
    // A streaming task stays until its consumer reaches the end of the stream, or drops it.
    if (record.liveReturns <= 0 && (!record.stream || record.stream.abandoned)) this.#uses.lineage.dropTask(record);
  }

  cancel(record: TaskRecord, force: boolean, recursive: boolean): void {
    if (isTerminal(record.state)) return;
    if (recursive && record.children) {
      for (const childId of [...record.children]) {
        const child = this.#state.tasks.get(childId);
        if (child) this.cancel(child, force, recursive);
      }
    }
    record.cancelled = true;
    if (record.state === 'PENDING_ARGS' || record.state === 'PENDING_NODE') {
      if (record.kind === 'actorCall') {
        const actor = this.#state.actors.get(record.actorId);
        if (actor) actor.queue = actor.queue.filter((r) => r !== record);
      } else {
        this.#uses.scheduler.remove(record.id);
      }
      return this.#finishCancelled(record);
    }
    const node = record.nodeId ? this.#state.nodes.get(record.nodeId) : undefined;
    this.#finishCancelled(record);
    node?.cancel(record.id, force && record.kind === 'task');
  }
}

/** A result that arrived but could not be turned back into a value here: the task fails with why. */
function decodeFailure(taskName: string, nodeId: string, error: unknown): TaskError {
  return new TaskError({
    remoteName: error instanceof Error ? error.name : 'Error',
    remoteMessage: `The result of '${taskName}' arrived but could not be decoded on this page: ${error instanceof Error ? error.message : String(error)}`,
    remoteStack: error instanceof Error ? (error.stack ?? '') : '',
    taskName,
    nodeId,
  });
}
