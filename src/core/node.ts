import type { Backend, NodeInfo } from './events.ts';
import type { Resources } from './resources.ts';

/**
 * A task ready to run: its arguments are encoded values now, top-level refs replaced by the values
 * they name.
 */
export interface TaskDispatch {
  taskId: string;
  name: string;
  fnId: string;
  source: string;
  /** Encodes the arguments; called only once the node takes the work. */
  /** Encodes the arguments for the worker `workerId`, counting the refs it will hold. */
  args: (workerId: string) => DispatchArgs;
  numReturns: number;
  streaming: boolean;
  resources: Resources;
  shape: string;
}

/** Arguments ready to send: encoded, top-level refs replaced by their encoded values. */
export interface DispatchArgs {
  values: unknown[];
  special: boolean;
  handlers: string[] | undefined;
  /**
   * Arguments the receiving node holds itself: [position, object id] pairs whose values it fills
   * in (a peer's own large results), so they never travel through the head.
   */
  held?: [number, string][];
}

/** Where a task went: its worker, and whether it waits there behind others (pipelined). */
export interface Dispatched {
  workerId: string;
  queued: boolean;
}

/** An object as a node that holds it sends it: encoded, with what decoding needs. */
export interface HeldObject {
  value: unknown;
  special: boolean;
  handlers: string[] | undefined;
  size: number;
}

export interface ActorStart {
  actorId: string;
  className: string;
  fnId: string;
  source: string;
  /** Encodes the arguments; called only once the node takes the work. */
  /** Encodes the arguments for the worker `workerId`, counting the refs it will hold. */
  args: (workerId: string) => DispatchArgs;
  resources: Resources;
  maxConcurrency: number;
}

export interface ActorCall {
  taskId: string;
  actorId: string;
  name: string;
  method: string;
  /** Encodes the arguments; called only once the node takes the work. */
  /** Encodes the arguments for the worker `workerId`, counting the refs it will hold. */
  args: (workerId: string) => DispatchArgs;
  numReturns: number;
  streaming: boolean;
}

/**
 * A place where tasks and actors run: the page's own worker pool or a peer browser. The scheduler
 * sees only this, so it cannot tell a local worker from a peer.
 */
export interface ClusterNode {
  readonly id: string;
  readonly isLocal: boolean;
  info(): NodeInfo;
  total(): Resources;
  available(): Resources;
  backend(): Backend | null;
  /**
   * Takes the task if the node can run it now (a free worker, or room in a worker's pipeline) and
   * returns the id of the worker it went to; false when it cannot take it now.
   */
  tryDispatch(task: TaskDispatch): Dispatched | false;
  /** Starts the actor if its resources are free now; returns its worker's id, or false. */
  tryStartActor(actor: ActorStart): string | false;
  callActor(call: ActorCall): void;
  cancel(taskId: string, force: boolean): void;
  /** Fetches an object this node holds (a peer's large result). */
  fetchObject?(objectId: string): Promise<HeldObject>;
  /** Drops objects this node holds. */
  freeObjects?(objectIds: string[]): void;
  killActor(actorId: string): void;
  shutdown(): Promise<void>;
}
