import type { RayboxEvent, TaskState } from '../../core/events.ts';

/** One row of the timeline: a worker of a node. */
export interface Lane {
  nodeId: string;
  workerId: string;
  /** Position from the top, in node then worker order. */
  row: number;
}

/** A task's time on a worker: from RUNNING to FINISHED, FAILED or CANCELLED (NaN while it runs). */
export interface Span {
  taskId: string;
  name: string;
  lane: Lane;
  start: number;
  end: number;
  state: TaskState;
}

/**
 * When each task ran and where, folded from the event stream: a span opens at RUNNING and closes
 * at the task's next state. A retried task gets one span per attempt (it leaves RUNNING between
 * attempts). Times are epoch ms.
 */
export class TimelineModel {
  readonly spans: Span[] = [];
  readonly lanes: Lane[] = [];
  #laneByKey = new Map<string, Lane>();
  #open = new Map<string, Span>();
  version = 0;

  /** Whether a span is still open (a task runs): its end grows with the clock. */
  get running(): boolean {
    return this.#open.size > 0;
  }

  apply(event: RayboxEvent): boolean {
    if (event.type !== 'task') return false;
    const open = this.#open.get(event.taskId);
    if (event.state === 'RUNNING') {
      // A second RUNNING without a state between is the same run reported again, e.g. when the
      // head hands a call to an actor and when the actor starts it: the latest start is the truest.
      if (open) {
        if (open.start === event.time) return false;
        open.start = event.time;
        this.version++;
        return true;
      }
      const span: Span = { taskId: event.taskId, name: event.name, lane: this.#lane(event.nodeId ?? '?', event.workerId ?? '?'), start: event.time, end: NaN, state: 'RUNNING' };
      this.spans.push(span);
      this.#open.set(event.taskId, span);
      this.version++;
      return true;
    }
    if (!open) return false;
    // A task that leaves RUNNING for anything but an end is being retried: that attempt failed.
    const ended = event.state === 'FINISHED' || event.state === 'FAILED' || event.state === 'CANCELLED';
    this.#close(open, event.time, ended ? event.state : 'FAILED');
    return true;
  }

  #close(span: Span, time: number, state: TaskState): void {
    span.end = Math.max(time, span.start);
    span.state = state;
    this.#open.delete(span.taskId);
    this.version++;
  }

  /** The time range worth showing: first start to last end (or `now` while tasks run). */
  extent(now: number): { start: number; end: number } | null {
    if (this.spans.length === 0) return null;
    let start = Infinity;
    let end = -Infinity;
    for (const span of this.spans) {
      if (span.start < start) start = span.start;
      const spanEnd = Number.isNaN(span.end) ? now : span.end;
      if (spanEnd > end) end = spanEnd;
    }
    return { start, end: Math.max(end, start + 1) };
  }

  #lane(nodeId: string, workerId: string): Lane {
    const key = `${nodeId}\u0000${workerId}`;
    let lane = this.#laneByKey.get(key);
    if (lane) return lane;
    lane = { nodeId, workerId, row: 0 };
    this.#laneByKey.set(key, lane);
    this.lanes.push(lane);
    this.lanes.sort((a, b) => a.nodeId.localeCompare(b.nodeId) || a.workerId.localeCompare(b.workerId, undefined, { numeric: true }));
    this.lanes.forEach((l, i) => (l.row = i));
    return lane;
  }
}
