import type { RayboxEvent, TaskState } from '../../core/events.ts';
import { RecentSet } from './recent-set.ts';
import { SpanIndex } from './span-index.ts';
import { DEFAULT_CAPACITY } from './task-table.ts';

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
 * attempts). Times are epoch ms. Spans still open are kept apart (they grow with the clock);
 * closed ones go into a `SpanIndex` that keeps the most recent `capacity` and answers "what is in
 * view" without walking the rest, so a frame costs what it shows, not the page's history.
 */
export class TimelineModel {
  readonly lanes: Lane[] = [];
  #laneByKey = new Map<string, Lane>();
  #open = new Map<string, Span>();
  #closed: SpanIndex;
  /** What other views know of a task beyond its name (a Serve request's path), by task id; as many as spans are kept. */
  #notes: RecentSet<string>;
  version = 0;

  constructor(capacity = DEFAULT_CAPACITY) {
    this.#closed = new SpanIndex(capacity);
    this.#notes = new RecentSet(capacity);
  }

  /** Labels a task's bar with `text` (shown on the bar and when hovering it). */
  note(taskId: string, text: string): void {
    if (this.#notes.get(taskId) === text) return;
    this.#notes.set(taskId, text);
    this.version++;
  }

  noteOf(taskId: string): string | undefined {
    return this.#notes.get(taskId);
  }

  /** Whether a span is still open (a task runs): its end grows with the clock. */
  get running(): boolean {
    return this.#open.size > 0;
  }

  /** Spans kept: the open ones and the most recent closed ones. */
  get size(): number {
    return this.#open.size + this.#closed.size;
  }

  /** Closed spans forgotten to keep the cap. */
  get dropped(): number {
    return this.#closed.dropped;
  }

  /** Every kept span by start, open ones included (O(size): for export and tests, not for frames). */
  get spans(): Span[] {
    return [...this.#closed.all(), ...this.#open.values()].sort((a, b) => a.start - b.start);
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
      this.#open.set(event.taskId, span);
      this.version++;
      return true;
    }
    if (!open) return false;
    // A task that leaves RUNNING for anything but an end is being retried: that attempt failed.
    const ended = event.state === 'FINISHED' || event.state === 'FAILED' || event.state === 'CANCELLED';
    open.end = Math.max(event.time, open.start);
    open.state = ended ? event.state : 'FAILED';
    this.#open.delete(open.taskId);
    this.#closed.add(open);
    this.version++;
    return true;
  }

  /** The time range worth showing: first start to last end (or `now` while tasks run). O(1) in the history. */
  extent(now: number): { start: number; end: number } | null {
    const bounds = this.#closed.bounds();
    let start = bounds?.start ?? Infinity;
    let end = bounds?.end ?? -Infinity;
    for (const span of this.#open.values()) {
      start = Math.min(start, span.start);
      end = Math.max(end, now);
    }
    if (start === Infinity) return null;
    return { start, end: Math.max(end, start + 1) };
  }

  /**
   * Calls `visit` for each span overlapping [from, to] (open ones with `now` as their end).
   * Returns how many spans it looked at: the ones in view, plus at most a few per lane at its left edge.
   */
  visible(from: number, to: number, now: number, visit: (span: Span) => void): number {
    let touched = this.#closed.query(from, to, visit);
    for (const span of this.#open.values()) {
      touched++;
      if (span.start <= to && now >= from) visit(span);
    }
    return touched;
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
