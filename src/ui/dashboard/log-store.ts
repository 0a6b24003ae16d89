import type { LogEvent, RayboxEvent } from '../../core/events.ts';

/** Most log lines kept; older ones go first, in blocks, so trimming stays cheap. */
export const MAX_LOG_LINES = 20_000;
/** Most lines kept of one task, so one chatty task cannot push every other task's lines out. */
export const MAX_LOG_LINES_PER_TASK = 1_000;

export interface LogStoreOptions {
  /** @default MAX_LOG_LINES */
  maxLines?: number;
  /** @default MAX_LOG_LINES_PER_TASK */
  maxPerTask?: number;
}

/**
 * Log lines of tasks, newest last, and the subset that matches a filter. Bounded: at most
 * `maxLines` in all and `maxPerTask` of any one task; what it does not keep it counts in `dropped`.
 * Invariant: `#perTask` counts each task's kept lines (no entry for a task with none).
 */
export class LogStore {
  readonly maxLines: number;
  readonly maxPerTask: number;
  #lines: LogEvent[] = [];
  #perTask = new Map<string, number>();
  #filter = '';
  #matches: number[] | null = null;
  /** Lines not kept: over a task's cap, or trimmed as the oldest. */
  dropped = 0;
  version = 0;

  constructor(options: LogStoreOptions = {}) {
    this.maxLines = Math.max(1, options.maxLines ?? MAX_LOG_LINES);
    this.maxPerTask = Math.max(1, options.maxPerTask ?? MAX_LOG_LINES_PER_TASK);
  }

  apply(event: RayboxEvent): boolean {
    if (event.type !== 'log') return false;
    const ofTask = this.#perTask.get(event.taskId) ?? 0;
    if (ofTask >= this.maxPerTask) {
      this.dropped++;
      this.version++;
      return true;
    }
    this.#perTask.set(event.taskId, ofTask + 1);
    this.#lines.push(event);
    if (this.#lines.length > this.maxLines + Math.ceil(this.maxLines / 10)) {
      const trimmed = this.#lines.splice(0, this.#lines.length - this.maxLines);
      for (const line of trimmed) {
        const n = (this.#perTask.get(line.taskId) ?? 1) - 1;
        if (n > 0) this.#perTask.set(line.taskId, n);
        else this.#perTask.delete(line.taskId);
      }
      this.dropped += trimmed.length;
      this.#matches = null;
    } else if (this.#matches && this.#matchesFilter(event)) this.#matches.push(this.#lines.length - 1);
    this.version++;
    return true;
  }

  /** Keeps lines whose task name or id contains `text` (any case); '' keeps all. */
  setFilter(text: string): void {
    this.#filter = text.trim().toLowerCase();
    this.#matches = null;
    this.version++;
  }

  get filter(): string {
    return this.#filter;
  }

  /** Lines kept, whatever the filter. */
  get kept(): number {
    return this.#lines.length;
  }

  /** Lines that pass the filter. */
  get length(): number {
    return this.#filter === '' ? this.#lines.length : this.#indices().length;
  }

  line(i: number): LogEvent | undefined {
    return this.#filter === '' ? this.#lines[i] : this.#lines[this.#indices()[i] ?? -1];
  }

  #indices(): number[] {
    if (!this.#matches) {
      this.#matches = [];
      this.#lines.forEach((line, i) => {
        if (this.#matchesFilter(line)) this.#matches?.push(i);
      });
    }
    return this.#matches;
  }

  #matchesFilter(line: LogEvent): boolean {
    return this.#filter === '' || line.name.toLowerCase().includes(this.#filter) || line.taskId.toLowerCase().includes(this.#filter);
  }
}
