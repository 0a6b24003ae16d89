/**
 * What the driver announces on the event stream: task and actor state changes, objects, nodes,
 * metrics and worker logs. Events are built only while someone listens.
 */
import type { ErrorData } from '../core/errors.ts';
import type { EventBus, RayboxEvent, TaskState } from '../core/events.ts';
import type { ClusterNode } from '../core/node.ts';
import type { ActorRecord, TaskRecord } from './records.ts';

export type LogLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

export class RuntimeEvents {
  readonly #bus: EventBus;

  constructor(bus: EventBus) {
    this.#bus = bus;
  }

  emit(event: RayboxEvent): void {
    this.#bus.emit(event);
  }

  /** An object entered or left the store (only built while someone wants object events). */
  object(change: 'created' | 'released', entry: { id: string; size: number }): void {
    if (this.#bus.wants('object')) this.#bus.emit({ type: 'object', time: Date.now(), change, objectId: entry.id, size: entry.size });
  }

  /** RUNNING is announced once per attempt, whichever sign of it comes first. */
  announceRunning(record: TaskRecord, time: number): void {
    if (record.runningAnnounced) return;
    record.runningAnnounced = true;
    this.task(record, 'RUNNING', { time });
  }

  task(record: TaskRecord, state: TaskState, extra: { time?: number; infeasible?: string; error?: ErrorData; attempt?: number; start?: number }): void {
    if (!this.#bus.wants('task')) return;
    // One shape for every task event, absent fields undefined: the dashboard folds a hundred
    // thousand of these a second, and objects of many shapes make each of its reads slow.
    const event: RayboxEvent = {
      type: 'task',
      time: extra.time ?? Date.now(),
      taskId: record.id,
      name: record.name,
      state,
      nodeId: record.nodeId,
      workerId: record.workerId,
      actorId: record.actorId,
      context: record.context,
      infeasible: extra.infeasible,
      error: extra.error,
      attempt: extra.attempt,
    };
    this.#bus.emit(event);
  }

  actor(actor: ActorRecord, extra: { reason?: string }): void {
    if (!this.#bus.wants('actor')) return;
    const event: RayboxEvent = { type: 'actor', time: Date.now(), actorId: actor.id, className: actor.cls.name, state: actor.state };
    if (actor.name !== undefined) event.name = actor.name;
    if (actor.nodeId !== undefined) event.nodeId = actor.nodeId;
    if (actor.workerId !== undefined) event.workerId = actor.workerId;
    if (extra.reason !== undefined) event.reason = extra.reason;
    this.#bus.emit(event);
  }

  /** A worker's console line: printed in the page, tagged with its task, and published. */
  log(node: ClusterNode, workerId: string, taskId: string | null, record: TaskRecord | undefined, level: LogLevel, text: string, time: number): void {
    const name = record?.name ?? 'worker';
    console[level](`(${name} ${node.id}/${workerId}) ${text}`);
    this.emit({ type: 'log', time, level, text, taskId: taskId ?? '', name, nodeId: node.id, workerId });
  }
}
