import type { Resources } from '../../core/resources.ts';
import type { NodeHost } from '../../protocol/node-host.ts';
import type { WorkerConfig } from '../../protocol/worker-boot.ts';
import { WorkerLink, type WorkerFactory } from './worker-link.ts';
import { WorkerPoolNode } from './worker-pool-node.ts';

export interface LocalNodeOptions {
  nodeId: string;
  numWorkers: number;
  resources?: Resources;
  createWorker: WorkerFactory;
  config?: WorkerConfig;
}

/** The page's own workers as a node. */
export function createLocalNode(options: LocalNodeOptions, host: NodeHost): WorkerPoolNode {
  return new WorkerPoolNode(
    {
      nodeId: options.nodeId,
      numWorkers: options.numWorkers,
      resources: options.resources ?? {},
      isLocal: true,
      label: 'this page',
      spawn: (workerId, events) => new WorkerLink(workerId, options.nodeId, options.createWorker, events, options.config),
    },
    host,
  );
}
