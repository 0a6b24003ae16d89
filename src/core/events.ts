import type { ErrorData } from './errors.ts';
import type { Resources } from './resources.ts';

/** The states a task passes through, as Ray's dashboard names them. */
export type TaskState = 'PENDING_ARGS' | 'PENDING_NODE' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'CANCELLED';

export type ActorState = 'PENDING' | 'ALIVE' | 'RESTARTING' | 'DEAD';

export type Backend = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** What `nodes()` says of one node. */
export interface NodeInfo {
  nodeId: string;
  alive: boolean;
  isLocal: boolean;
  resources: Resources;
  backend: Backend | null;
  label: string;
  numWorkers: number;
}

/** A task changed state. `time` is milliseconds since the epoch, as `Date.now()`. */
export interface TaskEvent {
  type: 'task';
  time: number;
  taskId: string;
  name: string;
  state: TaskState;
  nodeId?: string;
  workerId?: string;
  /** Set on PENDING_NODE when no node can ever meet the request: the task waits, as in Ray. */
  infeasible?: string;
  error?: ErrorData;
  attempt?: number;
  actorId?: string;
  /** The submission context the task belongs to (e.g. a notebook cell's run), when it has one. */
  context?: string;
}

export interface NodeEvent {
  type: 'node';
  time: number;
  /** 'updated': what is known of it changed, e.g. its backend once its workers started. */
  change: 'added' | 'removed' | 'updated';
  node: NodeInfo;
}

export interface ObjectEvent {
  type: 'object';
  time: number;
  change: 'created' | 'released';
  objectId: string;
  size: number;
}

export interface ActorEvent {
  type: 'actor';
  time: number;
  actorId: string;
  className: string;
  name?: string;
  state: ActorState;
  nodeId?: string;
  workerId?: string;
  reason?: string;
}

export interface LogEvent {
  type: 'log';
  time: number;
  level: 'log' | 'info' | 'warn' | 'error' | 'debug';
  text: string;
  taskId: string;
  name: string;
  nodeId: string;
  workerId: string;
}

/**
 * A row of numbers a program reports as it goes, such as one training iteration's results; a
 * chart can follow `source` live without any plotting code.
 */
export interface MetricEvent {
  type: 'metric';
  time: number;
  /** Who reports, e.g. 'PPO CartPole-v1 #1'. */
  source: string;
  /** The x axis: an iteration or step number. */
  step: number;
  values: Record<string, number>;
}

/** Where a Serve event belongs: an application and one of its deployments. */
interface ServeEventBase {
  type: 'serve';
  time: number;
  app: string;
  deployment: string;
}

/**
 * Serve's state as it changes: a deployment's status, a replica started or stopped (its actor's
 * events say where it runs), a request answered (by the page's router), an autoscaling decision.
 */
export type ServeEvent =
  | (ServeEventBase & { kind: 'deployment'; status: 'DEPLOYING' | 'RUNNING' | 'DELETING'; routePrefix: string })
  | (ServeEventBase & { kind: 'replica'; replicaId: string; actorId: string; state: 'RUNNING' | 'STOPPING' | 'STOPPED' })
  | (ServeEventBase & {
      kind: 'request';
      replicaId: string;
      /** Milliseconds from the call to its answer, queueing included. */
      latencyMs: number;
      ok: boolean;
      /** Requests waiting at the router, and in flight through it, once this one was answered. */
      queued: number;
      ongoing: number;
      /** Set while someone listens (the dashboard): the request's number, the replica call's task and the route or method it came by. */
      requestId?: number;
      taskId?: string;
      route?: string;
    })
  | (ServeEventBase & { kind: 'autoscale'; from: number; to: number; /** Load per replica that decided it. */ perReplica: number })
  /** The batches a replica ran since it started (`serve.batch`): polled while someone listens. */
  | (ServeEventBase & { kind: 'batches'; replicaId: string; batches: number; items: number; largest: number })
  /** The batch each traced request joined in a replica (`serve.batch`): the replica's batch number and its size. */
  | (ServeEventBase & { kind: 'batched'; replicaId: string; requests: { requestId: number; batch: number; size: number }[] });


/** One operator of a running dataset (a fused map segment, a read, an all-to-all operator). */
export interface DataOperatorStats {
  /** e.g. `range->mapBatches`, `groupBy(key)`. */
  name: string;
  blocksIn: number;
  rowsIn: number;
  blocksOut: number;
  rowsOut: number;
  bytesOut: number;
  /** Tasks or actor calls making blocks now. */
  running: number;
  /** Blocks made and waiting for the consumer. */
  queued: number;
  /** Time it could not start a task because the memory budget was full (backpressure). */
  backpressureMs: number;
}

/**
 * A dataset's execution as it streams (raybox.data): its operators' counters and the bytes its
 * blocks hold against the memory budget. Sent when it starts, as blocks come out, and at its end.
 */
export interface DataEvent {
  type: 'data';
  time: number;
  /** One execution of a dataset; a dataset consumed twice runs twice. */
  executionId: string;
  /** The dataset's plan, as `String(ds)` writes it. */
  name: string;
  state: 'running' | 'finished' | 'failed';
  budgetBytes: number;
  heldBytes: number;
  peakBytes: number;
  operators: DataOperatorStats[];
}

/**
 * A Tune trial as it is added, starts, reports, pauses and ends, so a panel can list the trials of
 * a run live. Emitted by the tuner in the page that runs `fit()`.
 */
export interface TrialStateEvent {
  type: 'trial';
  time: number;
  /** The experiment's name (`runConfig.name`, or one made from the trainable and the time). */
  experiment: string;
  trialId: string;
  status: 'PENDING' | 'RUNNING' | 'PAUSED' | 'TERMINATED' | 'ERROR';
  config: Record<string, unknown>;
  /** The last result's numeric metrics. */
  metrics: Record<string, number>;
  /** The last result's `trainingIteration` (0 before the first). */
  iteration: number;
  nodeId: string | null;
  /** The error of a trial that failed. */
  error?: string;
}

/** One worker of a training group as the trainer last heard of it. */
export interface TrainWorkerState {
  rank: number;
  nodeId: string;
  /** Rank among the group's workers on its node (browser), and whether it leads their reductions. */
  localRank: number;
  state: 'running' | 'finished' | 'failed';
  reports: number;
  /** Its last report's numeric metrics. */
  metrics: Record<string, number>;
  /** What its `allreduce` steps put on the wire so far, and what that weighs uncompressed. */
  bytesSent: number;
  bytesUncompressed: number;
}

/**
 * A training run's worker group (raybox.train), as a whole snapshot: sent when the group starts,
 * at each report, and when it ends or restarts. Emitted by the trainer in the page that runs `fit()`.
 */
export interface TrainGroupEvent {
  type: 'train';
  time: number;
  /** `runConfig.name`. */
  run: string;
  /** One group of one run: a restart starts a new group. */
  groupId: string;
  attempt: number;
  state: 'running' | 'finished' | 'failed';
  compression: string;
  workers: TrainWorkerState[];
}

export type RayboxEvent = TaskEvent | NodeEvent | ObjectEvent | ActorEvent | LogEvent | MetricEvent | TrialStateEvent | ServeEvent | DataEvent | TrainGroupEvent;

export type EventListener = (event: RayboxEvent) => void;

/** Receives the events of one turn of the event loop together, oldest first. */
export type BatchListener = (events: readonly RayboxEvent[]) => void;

/** What a batch listener wants; an event of another type costs it nothing. */
export interface BatchOptions {
  /** Only these event types. @default every type */
  types?: readonly RayboxEvent['type'][];
}

interface BatchSubscriber {
  listener: BatchListener;
  types: ReadonlySet<RayboxEvent['type']> | null;
  /** Every event the bus queues is of a type it wants, so its batch needs no filtering. */
  takesAll: boolean;
}

/**
 * The one stream the dashboard draws. Emitting costs nothing while nobody listens, which keeps
 * the task hot path free of event allocation in benchmarks and headless use.
 *
 * Two kinds of listener: `subscribe` (the public `onEvent`) gets each event synchronously, as it
 * happens; `subscribeBatch` gets the events of a turn together, in one call at the end of the
 * turn (a microtask), so a consumer pays per batch what it can do per batch, e.g. one redraw
 * request for a thousand finished tasks. Order is kept within and across batches.
 *
 * An event type nobody wants is not delivered, and `wants(type)` lets an emitter skip building it:
 * the dashboard, which reads the object store's totals when it draws, spares the page two object
 * events per task.
 */
export class EventBus {
  #listeners = new Set<EventListener>();
  #batchListeners = new Set<BatchSubscriber>();
  #queue: RayboxEvent[] = [];
  #flushQueued = false;
  /** Types some listener wants; null: every type (an `onEvent` listener or a batch one without `types`). */
  #wanted: ReadonlySet<RayboxEvent['type']> | null = new Set();

  get active(): boolean {
    return this.#listeners.size > 0 || this.#batchListeners.size > 0;
  }

  /** Whether an event of `type` would reach anyone now. */
  wants(type: RayboxEvent['type']): boolean {
    return this.#wanted === null || this.#wanted.has(type);
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    this.#listenersChanged();
    return () => {
      this.#listeners.delete(listener);
      this.#listenersChanged();
    };
  }

  subscribeBatch(listener: BatchListener, options: BatchOptions = {}): () => void {
    const subscriber: BatchSubscriber = { listener, types: options.types ? new Set(options.types) : null, takesAll: false };
    this.#batchListeners.add(subscriber);
    this.#listenersChanged();
    return () => {
      this.#batchListeners.delete(subscriber);
      this.#listenersChanged();
    };
  }

  #listenersChanged(): void {
    const subscribers = [...this.#batchListeners];
    let wanted: Set<RayboxEvent['type']> | null = new Set();
    if (this.#listeners.size > 0 || subscribers.some((s) => s.types === null)) wanted = null;
    else for (const s of subscribers) for (const type of s.types ?? []) wanted.add(type);
    this.#wanted = wanted;
    for (const s of subscribers) s.takesAll = s.types === null || (wanted !== null && [...wanted].every((type) => s.types?.has(type)));
  }

  emit(event: RayboxEvent): void {
    if (!this.wants(event.type)) return;
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        // A broken listener must not break the runtime that feeds it.
        console.error('raybox: an onEvent listener threw', error);
      }
    }
    if (this.#batchListeners.size === 0) return;
    this.#queue.push(event);
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Delivers the queued events to the batch listeners now (the end of a turn does it anyway). */
  flush(): void {
    this.#flushQueued = false;
    const events = this.#queue;
    if (events.length === 0) return;
    this.#queue = [];
    for (const { listener, types, takesAll } of this.#batchListeners) {
      const wanted = takesAll || types === null ? events : events.filter((e) => types.has(e.type));
      if (wanted.length === 0) continue;
      try {
        listener(wanted);
      } catch (error) {
        console.error('raybox: an event batch listener threw', error);
      }
    }
  }
}
