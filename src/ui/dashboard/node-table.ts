import type { NodeInfo, RayboxEvent } from '../../core/events.ts';

export interface NodeRow {
  info: NodeInfo;
  /** Tasks running on the node now. */
  running: number;
  /** Workers of the node running a task now (actors' workers included). */
  busyWorkers: number;
}

/**
 * The nodes of the cluster and how busy each is. Node events add and remove nodes; task events
 * say which workers run something. `seed` takes the nodes that joined before anyone listened.
 */
export class NodeTable {
  #nodes = new Map<string, NodeInfo>();
  /** taskId → where it runs, for tasks in RUNNING. */
  #running = new Map<string, { nodeId: string; workerId: string }>();
  /** nodeId → workerId → tasks running there. */
  #busy = new Map<string, Map<string, number>>();

  seed(nodes: NodeInfo[]): void {
    for (const node of nodes) {
      const known = this.#nodes.get(node.nodeId);
      // Refresh facts events do not carry (the backend once TensorFlow.js chose it).
      if (!known || known.alive === node.alive) this.#nodes.set(node.nodeId, node);
    }
  }

  apply(event: RayboxEvent): boolean {
    if (event.type === 'node') {
      // 'updated' carries new facts (the backend) of a node that is still there; only 'removed' kills it.
      if (event.change === 'removed') this.#nodes.set(event.node.nodeId, { ...event.node, alive: false });
      else this.#nodes.set(event.node.nodeId, event.node);
      return true;
    }
    if (event.type !== 'task') return false;
    const previous = this.#running.get(event.taskId);
    if (previous) {
      this.#running.delete(event.taskId);
      this.#count(previous.nodeId, previous.workerId, -1);
    }
    if (event.state === 'RUNNING' && event.nodeId !== undefined) {
      const where = { nodeId: event.nodeId, workerId: event.workerId ?? '?' };
      this.#running.set(event.taskId, where);
      this.#count(where.nodeId, where.workerId, 1);
    }
    return previous !== undefined || event.state === 'RUNNING';
  }

  rows(): NodeRow[] {
    return [...this.#nodes.values()].map((info) => {
      const workers = this.#busy.get(info.nodeId);
      let running = 0;
      for (const n of workers?.values() ?? []) running += n;
      return { info, running, busyWorkers: workers?.size ?? 0 };
    });
  }

  #count(nodeId: string, workerId: string, delta: number): void {
    let workers = this.#busy.get(nodeId);
    if (!workers) this.#busy.set(nodeId, (workers = new Map()));
    const n = (workers.get(workerId) ?? 0) + delta;
    if (n > 0) workers.set(workerId, n);
    else workers.delete(workerId);
  }
}
