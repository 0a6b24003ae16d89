import type { RayboxEvent, TaskState } from '../../core/events.ts';
import { RecentSet } from './recent-set.ts';

export const taskStates: TaskState[] = ['PENDING_ARGS', 'PENDING_NODE', 'RUNNING', 'FINISHED', 'FAILED', 'CANCELLED'];

const terminal = (state: TaskState) => state === 'FINISHED' || state === 'FAILED' || state === 'CANCELLED';

/**
 * Tasks by their latest state, folded from the event stream alone, exact however long the page
 * runs. A task's last event decides where it counts, so retries and late events never count it
 * twice. Memory stays bounded: the state of a task is kept while it is unfinished, and for the
 * most recent `recent` finished tasks (a late event of an older one would count it again).
 */
export class TaskCounts {
  /** Unfinished tasks' states. */
  #live = new Map<string, TaskState>();
  /** Finished tasks, most recent last, with the state they ended in. */
  #ended: RecentSet<TaskState>;
  #counts = new Map<TaskState, number>(taskStates.map((s) => [s, 0]));
  #infeasible = new Map<string, string>();

  constructor(recent = 10_000) {
    this.#ended = new RecentSet(recent);
  }

  apply(event: RayboxEvent): boolean {
    if (event.type !== 'task') return false;
    const previous = this.#live.get(event.taskId) ?? this.#ended.get(event.taskId);
    if (previous === event.state) return false;
    if (previous) this.#counts.set(previous, (this.#counts.get(previous) ?? 0) - 1);
    this.#counts.set(event.state, (this.#counts.get(event.state) ?? 0) + 1);
    if (terminal(event.state)) {
      this.#live.delete(event.taskId);
      this.#ended.set(event.taskId, event.state);
    } else {
      this.#ended.delete(event.taskId);
      this.#live.set(event.taskId, event.state);
    }
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

  /** Task states held in memory right now (unfinished plus recent finished ones): bounded. */
  get remembered(): number {
    return this.#live.size + this.#ended.size;
  }

  /** Why tasks wait that no node can ever run, one line per distinct reason. */
  infeasibleReasons(): string[] {
    return [...new Set(this.#infeasible.values())];
  }
}
