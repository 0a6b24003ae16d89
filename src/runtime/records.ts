import type { EncodedArgs } from '../core/encoded.ts';
import type { ActorState, TaskState } from '../core/events.ts';
import type { ClassDescriptor, FunctionDescriptor } from '../core/function-descriptor.ts';
import type { ObjectRef } from '../core/object-ref.ts';
import type { SchedulingStrategy } from '../core/options.ts';
import type { Placement } from '../core/scheduler/policy.ts';
import type { Resources } from '../core/resources.ts';
import type { RefHolder } from './worker-refs.ts';

/**
 * What the head keeps of every task and actor call, from submission until its results are freed.
 * Both kinds are built by `newTaskRecord` with every field in the same order, so they share one
 * hidden class and the driver's functions that read either stay monomorphic.
 */
interface TaskRecordBase {
  readonly id: string;
  readonly name: string;
  readonly args: EncodedArgs;
  readonly numReturns: number;
  readonly streaming: boolean;
  readonly returnIds: string[];
  readonly resources: Resources;
  readonly shape: string;
  readonly strategy: SchedulingStrategy;
  /** The node holding the largest argument, if a peer holds it. */
  locality: string | undefined;
  readonly maxRetries: number;
  readonly retryExceptions: boolean | string[];
  attempts: number;
  state: TaskState;
  /** RUNNING was announced for this attempt (once, however many signs of it come). */
  runningAnnounced: boolean;
  /** Dependencies not yet ready. */
  pendingDeps: number;
  nodeId: string | undefined;
  workerId: string | undefined;
  readonly parent: string | null;
  children: Set<string> | undefined;
  cancelled: boolean;
  /** Return objects still referenced; the record (the lineage) goes when this reaches zero. */
  liveReturns: number;
  stream: StreamState | undefined;
  /** Who submitted it (e.g. a notebook cell's run), inherited by the tasks it starts; see `SubmissionContexts`. */
  context: string | undefined;
}

/** A task: a function, placed by the scheduler (a `Placement`) on any node that fits. */
export interface FunctionTaskRecord extends TaskRecordBase {
  readonly kind: 'task';
  readonly fn: FunctionDescriptor;
  readonly actorId: undefined;
  readonly method: undefined;
}

/** A call of an actor's method: queued at its actor, sent to the actor's worker in order. */
export interface ActorCallRecord extends TaskRecordBase {
  readonly kind: 'actorCall';
  readonly fn: undefined;
  readonly actorId: string;
  readonly method: string;
}

export type TaskRecord = FunctionTaskRecord | ActorCallRecord;

/** The yields of a streaming task so far, and who waits for the next one. */
export interface StreamState {
  yielded: string[];
  done: boolean;
  error: Error | undefined;
  waiters: Array<() => void>;
  /** Refs handed to the consumer; held here so yielded objects live until iterated. */
  refs: (ObjectRef | undefined)[];
  /** The consumer dropped its generator before the end: nothing more is kept for it. */
  abandoned: boolean;
  /** The worker that submitted the stream and iterates it; undefined for the page. */
  consumer?: RefHolder;
}

/** The head's record of one actor. */
export interface ActorRecord extends Placement {
  readonly kind: 'actor';
  readonly id: string;
  readonly cls: ClassDescriptor;
  readonly name: string | undefined;
  readonly args: EncodedArgs;
  readonly resources: Resources;
  readonly strategy: SchedulingStrategy;
  readonly maxConcurrency: number;
  readonly maxTaskRetries: number;
  restartsLeft: number;
  state: ActorState;
  pendingDeps: number;
  nodeId: string | undefined;
  workerId: string | undefined;
  /** Calls in submission order, not yet sent to the actor's worker. */
  queue: ActorCallRecord[];
  /** Calls sent and not yet finished. */
  running: Map<string, ActorCallRecord>;
  deathReason: string | undefined;
}

/** What the scheduler places: tasks and actors (an actor's calls follow their actor). */
export type PlacementRecord = FunctionTaskRecord | ActorRecord;
