import type { ClusterNode } from '../core/node.ts';
import type { FromWorker, ToWorker } from './messages.ts';

/** A node that speaks the worker protocol, so the head can answer its workers' requests. */
export interface ProtocolNode extends ClusterNode {
  /** Sends an item to one worker of this node (a reply, a named-actor notice …). */
  send(workerId: string, item: ToWorker): void;
  /** Sends an item to every worker of this node. */
  broadcast(item: ToWorker): void;
  /** Joins the workers of two of its actors by a MessageChannel (see `WorkerControl.takePort`); false where it cannot. */
  connectActors?(actorA: string, actorB: string, key: string): boolean;
}

/** What a node reports to the head's runtime. */
export interface NodeHost {
  /**
   * An item from a worker of `node`, already validated. Returns why it was refused when the worker
   * is not entitled to it (it named a task, object or actor the head never gave it).
   */
  handle(node: ProtocolNode, workerId: string, item: FromWorker): string | undefined;
  /** A worker died: its tasks and actors are lost, to be retried, restarted or failed. */
  workerDied(node: ProtocolNode, workerId: string, taskIds: string[], actorIds: string[], reason: string): void;
  /** Capacity came free (a task ended, a worker came up): queued work may be placed now. */
  capacityFreed(): void;
  /** Source of a function by id, for a worker that has not seen it. */
  functionSource(fnId: string): string | undefined;
}
