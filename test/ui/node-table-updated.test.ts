import { describe, expect, it } from 'vitest';
import type { NodeInfo } from '../../src/core/events.ts';
import { NodeTable } from '../../src/ui/dashboard/node-table.ts';

const node: NodeInfo = { nodeId: 'n1', alive: true, isLocal: true, resources: { CPU: 2 }, backend: null, label: 'this page', numWorkers: 2 };

describe('NodeTable on node updates', () => {
  it("keeps a node alive on 'updated' and takes its new facts; only 'removed' kills it", () => {
    const nodes = new NodeTable();
    nodes.apply({ type: 'node', time: 0, change: 'added', node });
    nodes.apply({ type: 'node', time: 1, change: 'updated', node: { ...node, backend: 'wasm', numWorkers: 8 } });
    expect(nodes.rows()[0]?.info).toMatchObject({ alive: true, backend: 'wasm', numWorkers: 8 });
    nodes.apply({ type: 'node', time: 2, change: 'removed', node });
    expect(nodes.rows()[0]?.info.alive).toBe(false);
  });
});
