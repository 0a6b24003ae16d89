/**
 * Builds the driver's parts on one `DriverState` and joins them. Each part is given the tables it
 * reads and narrow views of the parts it calls. Parts that call each other in a loop (a lost
 * object is rebuilt by submitting its task again, whose arguments may be fetched, which may find
 * another object lost) are joined here by small forwarding functions, made once per driver.
 */
import { RayboxUsageError } from '../core/errors.ts';
import type { EventBus } from '../core/events.ts';
import { Scheduler } from '../core/scheduler/scheduler.ts';
import type { ProtocolNode } from '../protocol/node-host.ts';
import { ActorLifecycle } from './actor-lifecycle.ts';
import { DriverState } from './driver-state.ts';
import { Lineage } from './lineage.ts';
import { ObjectAccess } from './object-access.ts';
import type { PlacementRecord } from './records.ts';
import { RuntimeEvents } from './runtime-events.ts';
import { Streams } from './streams.ts';
import { TaskArguments } from './task-arguments.ts';
import { TaskCompletion } from './task-completion.ts';
import { TaskStates } from './task-states.ts';
import { TaskSubmission } from './task-submission.ts';

/** The driver's tables and the parts that act on them. */
export interface DriverParts {
  readonly state: DriverState;
  readonly events: RuntimeEvents;
  readonly scheduler: Scheduler<PlacementRecord, ProtocolNode>;
  readonly args: TaskArguments;
  readonly objectAccess: ObjectAccess;
  readonly lineage: Lineage;
  readonly submission: TaskSubmission;
  readonly completion: TaskCompletion;
  readonly streams: Streams;
  readonly actors: ActorLifecycle;
}

/** The parts of one driver; `capacityFreed` asks the driver for a scheduler pump soon (coalesced there). */
export function wireDriver(bus: EventBus, capacityFreed: () => void): DriverParts {
  const events = new RuntimeEvents(bus);
  const states = new TaskStates(events);
  // The functions here that reach parts made further down (lineage, submission, completion,
  // actors) run only once this has returned.
  const state = new DriverState({
    created: (entry) => events.object('created', entry),
    freed: (entry) => lineage.objectFreed(entry),
  });
  const scheduler: Scheduler<PlacementRecord, ProtocolNode> = new Scheduler<PlacementRecord, ProtocolNode>({
    offer: (record, node): boolean => (record.kind === 'actor' ? actors.offer(record, node) : submission.offer(record, node)),
    infeasible: (record, reason) => {
      if (record.kind === 'task') events.task(record, 'PENDING_NODE', { infeasible: reason });
      else events.actor(record, { reason });
      console.warn(`raybox: ${describe(record)} is waiting: ${reason}`);
    },
    unplaceable: (record, reason) => {
      if (record.kind === 'task') completion.finishFailed(record, new RayboxUsageError(`Cannot place ${describe(record)}: ${reason}.`));
      else actors.dead(record, reason);
    },
  });
  const objectAccess = new ObjectAccess(state, { lose: (entry, why) => lineage.lose(entry, why) });
  const args = new TaskArguments(state, objectAccess);
  const lineage: Lineage = new Lineage(state, {
    events,
    states,
    args,
    rerun: (record) => submission.depsReady(record),
    finishFailed: (record, error) => completion.finishFailed(record, error),
  });
  const streams = new Streams(state, lineage);
  const completion: TaskCompletion = new TaskCompletion(state, { states, streams, lineage, scheduler, capacityFreed });
  const finishFailed = completion.finishFailed.bind(completion);
  const actors: ActorLifecycle = new ActorLifecycle(state, { events, states, args, scheduler, finishFailed, capacityFreed });
  const submission: TaskSubmission = new TaskSubmission(state, { events, states, args, scheduler, completion, actors, streams, capacityFreed });
  return { state, events, scheduler, args, objectAccess, lineage, submission, completion, streams, actors };
}

function describe(record: PlacementRecord): string {
  return record.kind === 'task' ? `task '${record.name}'` : `actor '${record.cls.name}'`;
}
