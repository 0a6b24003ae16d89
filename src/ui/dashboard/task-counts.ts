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
  /**
   * Counts by state, as fields of one object rather than a Map: a task's four events change eight
   * counts, and the dashboard folds a hundred thousand tasks a second.
   */
  #counts: Record<TaskState, number> = { PENDING_ARGS: 0, PENDING_NODE: 0, RUNNING: 0, FINISHED: 0, FAILED: 0, CANCELLED: 0 };
  #infeasible = new Map<string, string>();

  /** Call `apply` before the table `endedStateOf` reads applies the same event. */
  constructor(endedStateOf: EndedStateOf = () => undefined) {
    this.#endedStateOf = endedStateOf;
  }

  apply(event: RayboxEvent): boolean {
    if (event.type !== 'task') return false;
    const { taskId, state } = event;
    const live = this.#live.get(taskId);
    // A task's first event (PENDING_ARGS) needs no look-up of a finished state.
    const previous = live ?? (state === 'PENDING_ARGS' && event.attempt === undefined ? undefined : this.#endedStateOf(taskId));
    if (previous === state) return false;
    const counts = this.#counts;
    if (previous) counts[previous]--;
    counts[state]++;
    if (terminal(state)) {
      if (live !== undefined) this.#live.delete(taskId);
    } else this.#live.set(taskId, state);
    if (event.infeasible !== undefined) this.#infeasible.set(taskId, event.infeasible);
    else if (state !== 'PENDING_NODE' && this.#infeasible.size > 0) this.#infeasible.delete(taskId);
    return true;
  }

  count(state: TaskState): number {
    return this.#counts[state];
  }

  /** Every task seen, whatever its state. */
  get total(): number {
    let n = 0;
    for (const state of taskStates) n += this.#counts[state];
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
