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

export type RayboxEvent = TaskEvent | NodeEvent | ObjectEvent | ActorEvent | LogEvent | MetricEvent;

export type EventListener = (event: RayboxEvent) => void;

/**
 * The one stream the dashboard draws. Emitting costs nothing while nobody listens, which keeps
 * the task hot path free of event allocation in benchmarks and headless use.
 */
export class EventBus {
  #listeners = new Set<EventListener>();

  get active(): boolean {
    return this.#listeners.size > 0;
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: RayboxEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        // A broken listener must not break the runtime that feeds it.
        console.error('raybox: an onEvent listener threw', error);
      }
    }
  }
}
