/**
 * Every change of a task's (or actor call's) state, each in one function here, with the event
 * that announces it. The record is created PENDING_ARGS (`newTaskRecord`); from there it waits
 * for a node, is dispatched, goes back for another attempt, or ends.
 */
import type { ErrorData } from '../core/errors.ts';
import type { FunctionTaskRecord, TaskRecord } from './records.ts';
import type { RuntimeEvents } from './runtime-events.ts';

export type EndState = 'FINISHED' | 'FAILED' | 'CANCELLED';

export class TaskStates {
  readonly #events: RuntimeEvents;

  constructor(events: RuntimeEvents) {
    this.#events = events;
  }

  /** Its arguments are ready: it waits for a node that can take it. */
  waitForNode(record: FunctionTaskRecord): void {
    record.state = 'PENDING_NODE';
    this.#events.task(record, 'PENDING_NODE', {});
  }

  /** An argument it was waiting to take was lost: it waits for its arguments again (no new attempt). */
  waitForArgs(record: FunctionTaskRecord): void {
    record.state = 'PENDING_ARGS';
    this.#events.task(record, 'PENDING_ARGS', {});
  }

  /**
   * Another attempt: off its worker, back to waiting for its arguments (an object of it to
   * rebuild) or for a node or its actor (a retry, a replayed call).
   */
  again(record: TaskRecord, state: 'PENDING_ARGS' | 'PENDING_NODE'): void {
    record.state = state;
    record.nodeId = undefined;
    record.workerId = undefined;
    this.#events.task(record, state, { attempt: record.attempts + 1 });
  }

  /**
   * Sent to worker `workerId` of node `nodeId`. RUNNING is announced apart (`announceRunning`):
   * a task queued behind others on its worker starts later.
   */
  dispatched(record: TaskRecord, nodeId: string, workerId: string | undefined): void {
    record.state = 'RUNNING';
    record.nodeId = nodeId;
    record.workerId = workerId;
    record.attempts++;
    record.runningAnnounced = false;
  }

  /** Its final state; a finished task that never said it started is announced RUNNING first. */
  ended(record: TaskRecord, state: EndState, extra: { time?: number; start?: number; error?: ErrorData }): void {
    if (state === 'FINISHED' && extra.start !== undefined) this.#events.announceRunning(record, extra.start);
    record.state = state;
    this.#events.task(record, state, extra);
  }
}
