/**
 * What the driver's parts share: the head's tables (objects, tasks, actors, nodes), the scheduler,
 * the event helpers and the parts themselves. The driver makes one; each part keeps it and reaches
 * the others through it only when called, so parts may call each other whatever order they are
 * made in.
 */
import { RayboxUsageError } from '../core/errors.ts';
import type { EventBus } from '../core/events.ts';
import { ObjectTable } from '../core/object-table.ts';
import { Scheduler } from '../core/scheduler/scheduler.ts';
import type { ProtocolNode } from '../protocol/node-host.ts';
import { ActorLifecycle } from './actor-lifecycle.ts';
import { FunctionSources } from './function-sources.ts';
import { Lineage } from './lineage.ts';
import { ObjectAccess } from './object-access.ts';
import type { ActorRecord, PlacementRecord, TaskRecord } from './records.ts';
import { RuntimeEvents } from './runtime-events.ts';
import { Streams } from './streams.ts';
import { SubmissionContexts } from './submission-contexts.ts';
import { TaskArguments } from './task-arguments.ts';
import { TaskCompletion } from './task-completion.ts';
import { TaskSubmission } from './task-submission.ts';
import { WorkerActors } from './worker-actors.ts';
import { WorkerRefs } from './worker-refs.ts';

export class DriverContext {
  readonly objects: ObjectTable;
  readonly tasks = new Map<string, TaskRecord>();
  readonly actors = new Map<string, ActorRecord>();
  /** Actor names to actor ids, for `getActor` and the nodes' copies. */
  readonly namedActors = new Map<string, string>();
  readonly nodes = new Map<string, ProtocolNode>();
  readonly scheduler: Scheduler<PlacementRecord>;
  readonly events: RuntimeEvents;
  readonly code = new FunctionSources();
  /** Who submitted each task (a notebook cell), for cancelling all it started. */
  readonly contexts = new SubmissionContexts();
  readonly args: TaskArguments;
  readonly objectAccess: ObjectAccess;
  readonly lineage: Lineage;
  readonly submission: TaskSubmission;
  readonly completion: TaskCompletion;
  readonly streams: Streams;
  readonly actorLifecycle: ActorLifecycle;
  /** The refs each worker holds, given back for it when it dies. */
  readonly workerRefs: WorkerRefs;
  /** The actor handles each worker was handed. */
  readonly workerActors = new WorkerActors();
  /** Asks for a scheduler pump soon (coalesced by the driver). */
  readonly capacityFreed: () => void;

  constructor(bus: EventBus, capacityFreed: () => void) {
    this.capacityFreed = capacityFreed;
    this.events = new RuntimeEvents(bus);
    this.objects = new ObjectTable({
      created: (entry) => this.events.object('created', entry),
      freed: (entry) => this.lineage.objectFreed(entry),
    });
    this.workerRefs = new WorkerRefs(this.objects);
    this.scheduler = new Scheduler<PlacementRecord>({
      offer: (record, node) => (record.kind === 'actor' ? this.actorLifecycle.offer(record, node as ProtocolNode) : this.submission.offer(record, node as ProtocolNode)),
      infeasible: (record, reason) => {
        if (record.kind === 'task') this.events.task(record, 'PENDING_NODE', { infeasible: reason });
        else this.events.actor(record, { reason });
        console.warn(`raybox: ${record.kind === 'task' ? `task '${record.name}'` : `actor '${record.cls.name}'`} is waiting: ${reason}`);
      },
      unplaceable: (record, reason) => {
        const error = new RayboxUsageError(`Cannot place ${record.kind === 'task' ? `task '${record.name}'` : `actor '${record.cls.name}'`}: ${reason}.`);
        if (record.kind === 'task') this.completion.finishFailed(record, error);
        else this.actorLifecycle.dead(record, reason);
      },
    });
    this.args = new TaskArguments(this);
    this.objectAccess = new ObjectAccess(this);
    this.lineage = new Lineage(this);
    this.submission = new TaskSubmission(this);
    this.completion = new TaskCompletion(this);
    this.streams = new Streams(this);
    this.actorLifecycle = new ActorLifecycle(this);
  }

  broadcast(item: Parameters<ProtocolNode['broadcast']>[0]): void {
    for (const node of this.nodes.values()) node.broadcast(item);
  }
}
