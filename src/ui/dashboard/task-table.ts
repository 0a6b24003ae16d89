import type { RayboxEvent, TaskState } from '../../core/events.ts';

/** One task as the Tasks list shows it. Times are epoch milliseconds; NaN where not reached. */
export interface TaskRow {
  taskId: string;
  name: string;
  state: TaskState;
  nodeId: string;
  workerId: string;
  submitted: number;
  started: number;
  ended: number;
  error: string;
}

/**
 * Every task seen on the event stream, in the order they were submitted, kept as columns so that
 * 100,000 tasks cost a few flat arrays. Invariant: `#index` maps each task id to its row.
 */
export class TaskTable {
  #index = new Map<string, number>();
  #ids: string[] = [];
  #names: string[] = [];
  #states: TaskState[] = [];
  #nodes: string[] = [];
  #workers: string[] = [];
  #submitted: number[] = [];
  #started: number[] = [];
  #ended: number[] = [];
  #errors: string[] = [];
  /** Grows on every change, so views redraw only when something changed. */
  version = 0;

  get length(): number {
    return this.#ids.length;
  }

  apply(event: RayboxEvent): boolean {
    if (event.type !== 'task') return false;
    let i = this.#index.get(event.taskId);
    if (i === undefined) {
      i = this.#ids.length;
      this.#index.set(event.taskId, i);
      this.#ids.push(event.taskId);
      this.#names.push(event.name);
      this.#states.push(event.state);
      this.#nodes.push(event.nodeId ?? '');
      this.#workers.push(event.workerId ?? '');
      this.#submitted.push(event.time);
      this.#started.push(NaN);
      this.#ended.push(NaN);
      this.#errors.push('');
    }
    this.#states[i] = event.state;
    if (event.nodeId !== undefined) this.#nodes[i] = event.nodeId;
    if (event.workerId !== undefined) this.#workers[i] = event.workerId;
    if (event.state === 'RUNNING') {
      this.#started[i] = event.time;
      this.#ended[i] = NaN;
    } else if (event.state === 'FINISHED' || event.state === 'FAILED' || event.state === 'CANCELLED') {
      this.#ended[i] = event.time;
    }
    if (event.error) this.#errors[i] = `${event.error.name}: ${event.error.message}`;
    this.version++;
    return true;
  }

  row(i: number): TaskRow {
    return {
      taskId: this.#ids[i] ?? '',
      name: this.#names[i] ?? '',
      state: this.#states[i] ?? 'PENDING_ARGS',
      nodeId: this.#nodes[i] ?? '',
      workerId: this.#workers[i] ?? '',
      submitted: this.#submitted[i] ?? NaN,
      started: this.#started[i] ?? NaN,
      ended: this.#ended[i] ?? NaN,
      error: this.#errors[i] ?? '',
    };
  }

  /** Seconds the task ran (until now while it runs); null when it never ran. */
  duration(i: number, now: number): number | null {
    const started = this.#started[i] ?? NaN;
    if (Number.isNaN(started)) return null;
    const ended = this.#ended[i] ?? NaN;
    return ((Number.isNaN(ended) ? now : ended) - started) / 1000;
  }
}
