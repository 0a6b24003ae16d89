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

/** Tasks the dashboard lists and spans it draws unless told otherwise, as Ray's dashboard keeps 10,000 tasks per job. */
export const DEFAULT_CAPACITY = 10_000;

/**
 * The most recent `capacity` tasks seen on the event stream, in the order they were submitted,
 * kept as columns of a ring so that the cost of a task is a few slots, whatever the history.
 * An older task is forgotten (counted in `dropped`; the aggregate counts keep it) and a late event
 * of it is ignored. Invariant: `#index` maps each kept task id to its sequence number, and task
 * `seq` lives in slot `seq % capacity`.
 */
export class TaskTable {
  readonly capacity: number;
  #index = new Map<string, number>();
  /** Sequence numbers of the oldest kept task and of the next task. */
  #first = 0;
  #next = 0;
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

  constructor(capacity = DEFAULT_CAPACITY) {
    this.capacity = Math.max(1, Math.floor(capacity));
  }

  /** Tasks kept (and listed). */
  get length(): number {
    return this.#next - this.#first;
  }

  /** Tasks forgotten to keep the cap. */
  get dropped(): number {
    return this.#first;
  }

  apply(event: RayboxEvent): boolean {
    if (event.type !== 'task') return false;
    let seq = this.#index.get(event.taskId);
    if (seq === undefined) {
      // A task's first event is PENDING_ARGS; a later one of a task not kept is of a forgotten task
      // (or of one that started before the dashboard listened, which it then lists).
      if (event.state !== 'PENDING_ARGS' && this.#first > 0) return false;
      seq = this.#add(event);
    }
    const i = seq % this.capacity;
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

  #add(event: RayboxEvent & { type: 'task' }): number {
    if (this.length === this.capacity) {
      this.#index.delete(this.#ids[this.#first % this.capacity] ?? '');
      this.#first++;
    }
    const seq = this.#next++;
    const i = seq % this.capacity;
    this.#index.set(event.taskId, seq);
    this.#ids[i] = event.taskId;
    this.#names[i] = event.name;
    this.#states[i] = event.state;
    this.#nodes[i] = event.nodeId ?? '';
    this.#workers[i] = event.workerId ?? '';
    this.#submitted[i] = event.time;
    this.#started[i] = NaN;
    this.#ended[i] = NaN;
    this.#errors[i] = '';
    return seq;
  }

  /** The latest state of a kept task; undefined for one not kept. */
  stateOf(taskId: string): TaskState | undefined {
    const seq = this.#index.get(taskId);
    return seq === undefined ? undefined : this.#states[seq % this.capacity];
  }

  /** The `i`th kept task, oldest first. */
  row(i: number): TaskRow {
    const s = (this.#first + i) % this.capacity;
    return {
      taskId: this.#ids[s] ?? '',
      name: this.#names[s] ?? '',
      state: this.#states[s] ?? 'PENDING_ARGS',
      nodeId: this.#nodes[s] ?? '',
      workerId: this.#workers[s] ?? '',
      submitted: this.#submitted[s] ?? NaN,
      started: this.#started[s] ?? NaN,
      ended: this.#ended[s] ?? NaN,
      error: this.#errors[s] ?? '',
    };
  }

  /** Seconds the `i`th kept task ran (until now while it runs); null when it never ran. */
  duration(i: number, now: number): number | null {
    const s = (this.#first + i) % this.capacity;
    const started = this.#started[s] ?? NaN;
    if (Number.isNaN(started)) return null;
    const ended = this.#ended[s] ?? NaN;
    return ((Number.isNaN(ended) ? now : ended) - started) / 1000;
  }
}
