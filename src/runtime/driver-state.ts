/**
 * The head's tables: objects, tasks, actors and their names, nodes, the code it knows, who
 * submitted what, and what each worker holds. Tables only: the driver's parts act on them, each
 * given this state and narrow views of the few other parts it calls (`driver-wiring.ts`).
 */
import { ObjectTable, type ObjectTableListener } from '../core/object-table.ts';
import type { ProtocolNode } from '../protocol/node-host.ts';
import { FunctionSources } from './function-sources.ts';
import { NodeTable } from './node-table.ts';
import type { ActorRecord, TaskRecord } from './records.ts';
import { SubmissionContexts } from './submission-contexts.ts';
import { WorkerActors } from './worker-actors.ts';
import { WorkerRefs } from './worker-refs.ts';

export class DriverState {
  readonly objects: ObjectTable;
  readonly tasks = new Map<string, TaskRecord>();
  readonly actors = new Map<string, ActorRecord>();
  /** Actor names to actor ids, for `getActor` and the nodes' copies. */
  readonly namedActors = new Map<string, string>();
  readonly nodes = new NodeTable();
  readonly code = new FunctionSources();
  /** Who submitted each task (a notebook cell), for cancelling all it started. */
  readonly contexts = new SubmissionContexts();
  /** The refs each worker holds, given back for it when it dies. */
  readonly workerRefs: WorkerRefs;
  /** The actor handles each worker was handed. */
  readonly workerActors = new WorkerActors();

  constructor(objects: ObjectTableListener) {
    this.objects = new ObjectTable(objects);
    this.workerRefs = new WorkerRefs(this.objects);
  }

  /** Sends `item` to every worker of every node (a named actor's notice). */
  broadcast(item: Parameters<ProtocolNode['broadcast']>[0]): void {
    for (const node of this.nodes.values()) node.broadcast(item);
  }
}
