import type { LogEvent, RayboxEvent } from '../../core/events.ts';

/** Most log lines kept; older ones go first, in blocks, so trimming stays cheap. */
export const MAX_LOG_LINES = 20_000;

/** Log lines of tasks, newest last, and the subset that matches a filter. */
export class LogStore {
  #lines: LogEvent[] = [];
  #filter = '';
  #matches: number[] | null = null;
  version = 0;

  apply(event: RayboxEvent): boolean {
    if (event.type !== 'log') return false;
    this.#lines.push(event);
    if (this.#lines.length > MAX_LOG_LINES + MAX_LOG_LINES / 10) {
      this.#lines.splice(0, this.#lines.length - MAX_LOG_LINES);
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
