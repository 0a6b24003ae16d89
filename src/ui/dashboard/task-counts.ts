import type { RayboxEvent, TaskState } from '../../core/events.ts';

export const taskStates: TaskState[] = ['PENDING_ARGS', 'PENDING_NODE', 'RUNNING', 'FINISHED', 'FAILED', 'CANCELLED'];

const terminal = (state: TaskState) => state === 'FINISHED' || state === 'FAILED' || state === 'CANCELLED';

/** Where a finished task's state can still be looked up, e.g. the table of recent tasks. */
export type EndedStateOf = (taskId: string) => TaskState | undefined;

/**
 * Tasks by their latest state, folded from the event stream alone, exact however long the page
 * runs. A task's last event decides where it counts, so retries and late events never count it
 * twice. Memory stays bounded: the state of a task is kept here only while it is unfinished; a
 * finished one's is asked of `endedStateOf` (the dashboard's table of recent tasks), so a late
 * event of a task finished long ago (past that table) counts it again.
 */
export class TaskCounts {
  /** Unfinished tasks' states. */
  #live = new Map<string, TaskState>();
  #endedStateOf: EndedStateOf;
  #counts = new Map<TaskState, number>(taskStates.map((s) => [s, 0]));
  #infeasible = new Map<string, string>();

  /** Call `apply` before the table `endedStateOf` reads applies the same event. */
  constructor(endedStateOf: EndedStateOf = () => undefined) {
    this.#endedStateOf = endedStateOf;
  }

  apply(event: RayboxEvent): boolean {
    if (event.type !== 'task') return false;
    const live = this.#live.get(event.taskId);
    const previous = live ?? this.#endedStateOf(event.taskId);
    if (previous === event.state) return false;
    if (previous) this.#counts.set(previous, (this.#counts.get(previous) ?? 0) - 1);
    this.#counts.set(event.state, (this.#counts.get(event.state) ?? 0) + 1);
    if (terminal(event.state)) {
      if (live !== undefined) this.#live.delete(event.taskId);
    } else this.#live.set(event.taskId, event.state);
    if (event.infeasible !== undefined) this.#infeasible.set(event.taskId, event.infeasible);
    else if (event.state !== 'PENDING_NODE') this.#infeasible.delete(event.taskId);
    return true;
  }

  count(state: TaskState): number {
    return this.#counts.get(state) ?? 0;
  }

  /** Every task seen, whatever its state. */
  get total(): number {
    let n = 0;
    for (const c of this.#counts.values()) n += c;
    return n;
  }

  /** Task states held here right now (unfinished tasks only). */
  get remembered(): number {
    return this.#live.size;
  }

  /** Why tasks wait that no node can ever run, one line per distinct reason. */
  infeasibleReasons(): string[] {
    return [...new Set(this.#infeasible.values())];
  }
}
