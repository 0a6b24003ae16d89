/**
 * The driver in Node, on nodes whose workers are fakes: each node is the real `WorkerPoolNode`
 * (leases, pipelining, blocked tasks) over fake `PoolWorkerLink`s, and the test speaks for the
 * workers (a result, a failure, a `get`, a crash). Everything is passed in; nothing is patched.
 */
import type { ActorDescriptor } from '../../src/core/actor-handle-tag.ts';
import type { RayboxEvent, TaskState } from '../../src/core/events.ts';
import type { ClassDescriptor, FunctionDescriptor } from '../../src/core/function-descriptor.ts';
import type { FromWorker, ToWorker } from '../../src/protocol/messages.ts';
import { Driver } from '../../src/runtime/driver.ts';
import type { PoolWorkerLink, WorkerLinkEvents } from '../../src/workers/host/pool-worker-link.ts';
import { WorkerPoolNode } from '../../src/workers/host/worker-pool-node.ts';

/** One worker as its node sees it; the test makes it say what a real worker would. */
export class FakeLink implements PoolWorkerLink {
  readonly sent: ToWorker[] = [];
  alive = true;
  terminated = false;
  constructor(
    readonly id: string,
    readonly events: WorkerLinkEvents,
    /** Every task and call sent to any worker of the cluster, in order. */
    private readonly dispatches: { workerId: string; taskId: string }[] = [],
  ) {}
  /** The tasks and calls sent at once (to a worker with nothing else to do), in order. */
  readonly sentNow: string[] = [];
  send(item: ToWorker, now = false): void {
    this.sent.push(item);
    if (now && (item.type === 'run' || item.type === 'callActor')) this.sentNow.push(item.taskId);
    if (item.type === 'run' || item.type === 'callActor') this.dispatches.push({ workerId: this.id, taskId: item.taskId });
  }
  terminate(): void {
    this.alive = false;
    this.terminated = true;
  }
  ready(): Promise<unknown> {
    return Promise.resolve();
  }
  backend(): Promise<string | null> {
    return Promise.resolve('cpu');
  }
  says(...items: FromWorker[]): void {
    this.events.items(items);
  }
  /** The task or call returns `value`; `kept` as a peer that keeps a large result itself. */
  returns(taskId: string, value: unknown, kept?: number[]): void {
    this.says({ type: 'done', taskId, values: [kept ? null : value], sizes: [8], special: false, start: 0, end: 0.001, ...(kept ? { kept } : {}) });
  }
  throws(taskId: string, name = 'Error', message = 'boom'): void {
    this.says({ type: 'failed', taskId, error: { name, message }, start: 0, end: 0.001 });
  }
  crashes(reason = 'crashed'): void {
    this.alive = false;
    this.events.died(reason);
  }
  /** The ids of the tasks and calls sent to this worker, in order. */
  runs(): string[] {
    return this.sent.flatMap((item) => (item.type === 'run' || item.type === 'callActor' ? [item.taskId] : []));
  }
  /** The actors this worker was asked to construct. */
  constructs(): string[] {
    return this.sent.flatMap((item) => (item.type === 'createActor' ? [item.actorId] : []));
  }
  cancels(): string[] {
    return this.sent.flatMap((item) => (item.type === 'cancel' ? [item.taskId] : []));
  }
}

export interface NodeSpec {
  nodeId: string;
  numWorkers: number;
  /** A peer's node: results it marks `kept` stay there. @default true */
  isLocal?: boolean;
}

/** A driver with nodes of fake workers, and the task events it emitted (id, state) in order. */
export function cluster(...specs: NodeSpec[]) {
  const driver = new Driver('head');
  const links: FakeLink[] = [];
  const dispatches: { workerId: string; taskId: string }[] = [];
  const events: { taskId: string; state: TaskState; attempt: number | undefined }[] = [];
  driver.onEvent((event: RayboxEvent) => {
    if (event.type === 'task') events.push({ taskId: event.taskId, state: event.state, attempt: event.attempt });
  });
  const nodes = new Map<string, WorkerPoolNode>();
  for (const spec of specs) {
    const node = new WorkerPoolNode(
      {
        nodeId: spec.nodeId,
        numWorkers: spec.numWorkers,
        isLocal: spec.isLocal ?? true,
        label: spec.nodeId,
        spawn: (id, linkEvents) => {
          const link = new FakeLink(id, linkEvents, dispatches);
          links.push(link);
          return link;
        },
        refused: (workerId, reason) => {
          throw new Error(`${workerId} refused: ${reason}`);
        },
      },
      driver,
    );
    nodes.set(spec.nodeId, node);
    driver.addNode(node);
  }
  const link = (id: string): FakeLink => {
    const found = links.find((l) => l.id === id);
    if (!found) throw new Error(`no worker ${id}; there are ${links.map((l) => l.id).join(', ')}`);
    return found;
  };
  /** The worker a task or call was last sent to. */
  const workerOf = (taskId: string): FakeLink => {
    const found = dispatches.findLast((d) => d.taskId === taskId);
    if (!found) throw new Error(`task ${taskId} was sent to no worker`);
    return link(found.workerId);
  };
  /** The states task `taskId` went through, in order. */
  const statesOf = (taskId: string): TaskState[] => events.filter((e) => e.taskId === taskId).map((e) => e.state);
  const node = (nodeId: string): WorkerPoolNode => nodes.get(nodeId) as WorkerPoolNode;
  return { driver, links, link, workerOf, dispatches, events, statesOf, node };
}

/** Lets queued microtasks and one macrotask run (the driver's scheduler pump, the nodes' queues). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A function as `remote()` describes it; its source never runs here. */
export function fn(name: string, streaming = false): FunctionDescriptor {
  return { fnId: `fn-${name}`, source: `function ${name}() {}`, name, streaming };
}

export function cls(name: string, methods: string[]): ClassDescriptor {
  return { fnId: `cls-${name}`, source: `class ${name} {}`, name, streaming: false, methods, streamingMethods: [] };
}

export type { ActorDescriptor };
