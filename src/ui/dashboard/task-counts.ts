import type { RayboxEvent, TaskState } from '../../core/events.ts';

export const taskStates: TaskState[] = ['PENDING_ARGS', 'PENDING_NODE', 'RUNNING', 'FINISHED', 'FAILED', 'CANCELLED'];

/**
 * Tasks by their latest state, folded from the event stream alone. A task's last event decides
 * where it counts, so retries and late events never count it twice.
 */
export class TaskCounts {
  #stateOf = new Map<string, TaskState>();
  #counts = new Map<TaskState, number>(taskStates.map((s) => [s, 0]));
  #infeasible = new Map<string, string>();

  apply(event: RayboxEvent): boolean {
    if (event.type !== 'task') return false;
    const previous = this.#stateOf.get(event.taskId);
    if (previous === event.state) return false;
    if (previous) this.#counts.set(previous, (this.#counts.get(previous) ?? 0) - 1);
    this.#stateOf.set(event.taskId, event.state);
    this.#counts.set(event.state, (this.#counts.get(event.state) ?? 0) + 1);
    if (event.infeasible !== undefined) this.#infeasible.set(event.taskId, event.infeasible);
    else if (event.state !== 'PENDING_NODE') this.#infeasible.delete(event.taskId);
    return true;
  }

  count(state: TaskState): number {
    return this.#counts.get(state) ?? 0;
  }

  /** Why tasks wait that no node can ever run, one line per distinct reason. */
  infeasibleReasons(): string[] {
    return [...new Set(this.#infeasible.values())];
  }
}
