/**
 * Which context (e.g. a notebook cell's run) submitted a task. The page sets the current context;
 * every task submitted from the page while it is set carries it, and so do the tasks those start
 * in workers (from their parent). So "stop what this cell started" is a question the driver answers
 * from its records, and nothing has to follow every task's events to learn it.
 */
import { isTerminal } from './driver-helpers.ts';
import type { TaskRecord } from './records.ts';

/** Cancelled contexts remembered, so late submissions in them are cancelled too; a handful is plenty. */
const CANCELLED_KEPT = 64;

export class SubmissionContexts {
  /** The context of what the page submits now; undefined: none. */
  current: string | undefined;
  #cancelled: string[] = [];

  /** The context a new task gets: its parent's, else the page's current one. */
  contextFor(parent: TaskRecord | undefined, fromPage: boolean): string | undefined {
    if (parent) return parent.context;
    return fromPage ? this.current : undefined;
  }

  isCancelled(context: string | undefined): boolean {
    return context !== undefined && this.#cancelled.includes(context);
  }

  /** Marks `context` cancelled and returns its unfinished tasks among `tasks` (the caller cancels them). */
  cancel(context: string, tasks: Iterable<TaskRecord>): TaskRecord[] {
    if (!this.#cancelled.includes(context)) {
      this.#cancelled.push(context);
      if (this.#cancelled.length > CANCELLED_KEPT) this.#cancelled.shift();
    }
    const unfinished: TaskRecord[] = [];
    for (const record of tasks) if (record.context === context && !isTerminal(record.state)) unfinished.push(record);
    return unfinished;
  }
}
