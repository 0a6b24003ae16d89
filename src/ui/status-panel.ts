import type { NodeInfo, RayboxEvent } from '../index.ts';
import { TaskCounts, taskStates } from './task-counts.ts';

export interface StatusSource {
  nodes(): NodeInfo[];
  onEvent(listener: (event: RayboxEvent) => void): () => void;
  objectStoreStats(): { count: number; bytes: number };
}

/**
 * The runtime at a glance: its nodes and how many tasks are in each state, redrawn at most once
 * per animation frame however fast events come.
 */
export function mountStatusPanel(root: HTMLElement, source: StatusSource): () => void {
  const counts = new TaskCounts();
  root.innerHTML = `
    <section aria-label="Nodes"><h2>Nodes</h2><table><thead><tr><th>node</th><th>where</th><th>CPU</th><th>workers</th><th>backend</th></tr></thead><tbody data-nodes></tbody></table></section>
    <section aria-label="Tasks"><h2>Tasks</h2><dl data-task-counts></dl><p data-infeasible role="status"></p></section>
    <section aria-label="Objects"><h2>Objects</h2><p data-objects></p></section>`;
  const nodesBody = root.querySelector('[data-nodes]') as HTMLElement;
  const countsList = root.querySelector('[data-task-counts]') as HTMLElement;
  const infeasible = root.querySelector('[data-infeasible]') as HTMLElement;
  const objects = root.querySelector('[data-objects]') as HTMLElement;

  let frame = 0;
  const draw = () => {
    frame = 0;
    nodesBody.replaceChildren(
      ...source.nodes().map((node) => {
        const row = document.createElement('tr');
        for (const text of [node.nodeId, node.label, String(node.resources['CPU'] ?? 0), String(node.numWorkers), node.backend ?? '—']) {
          const cell = document.createElement('td');
          cell.textContent = text;
          row.append(cell);
        }
        return row;
      }),
    );
    countsList.replaceChildren(
      ...taskStates.flatMap((state) => {
        const term = document.createElement('dt');
        term.textContent = state;
        const value = document.createElement('dd');
        value.textContent = String(counts.count(state));
        value.dataset['state'] = state;
        return [term, value];
      }),
    );
    infeasible.textContent = counts.infeasibleReasons().join('\n');
    const stats = source.objectStoreStats();
    objects.textContent = `${stats.count} objects, ${(stats.bytes / 2 ** 20).toFixed(1)} MiB`;
  };
  const schedule = () => {
    if (frame === 0) frame = requestAnimationFrame(draw);
  };
  const unsubscribe = source.onEvent((event) => {
    if (counts.apply(event) || event.type !== 'task') schedule();
  });
  draw();
  return () => {
    unsubscribe();
    if (frame !== 0) cancelAnimationFrame(frame);
  };
}
