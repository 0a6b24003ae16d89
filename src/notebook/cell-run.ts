import type { Output } from './output.ts';

/** Where a run stands. Only one run of a kernel is `running` at a time. */
export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'interrupted';

export type RunChange =
  | { type: 'append'; output: Output; index: number }
  | { type: 'update'; output: Output; index: number }
  | { type: 'status'; status: RunStatus }
  | { type: 'clear' };

/** Most log lines one cell keeps; the rest are counted (the dashboard's Logs has them all). */
export const MAX_LOG_LINES = 1000;

/**
 * One execution of one cell: its number, its status and its outputs, which keep arriving after
 * the code returns (logs and charts of tasks it started). A cell shows its latest run; older runs
 * are detached and drop what still comes to them.
 */
export class CellRun {
  readonly cellId: string;
  readonly executionCount: number;
  readonly outputs: Output[] = [];
  #status: RunStatus = 'queued';
  #detached = false;
  #logLines = 0;
  #droppedLogs = 0;
  #listeners = new Set<(change: RunChange) => void>();

  constructor(cellId: string, executionCount: number) {
    this.cellId = cellId;
    this.executionCount = executionCount;
  }

  get status(): RunStatus {
    return this.#status;
  }

  get detached(): boolean {
    return this.#detached;
  }

  /** Log lines beyond `MAX_LOG_LINES` that were not kept. */
  get droppedLogs(): number {
    return this.#droppedLogs;
  }

  setStatus(status: RunStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.#emit({ type: 'status', status });
  }

  /** Adds an output and returns it; a detached run drops it (and returns it all the same). */
  append<O extends Output>(output: O): O {
    if (this.#detached) return output;
    if (output.type === 'log') {
      if (this.#logLines >= MAX_LOG_LINES) {
        this.#droppedLogs++;
        return output;
      }
      this.#logLines++;
    }
    this.outputs.push(output);
    this.#emit({ type: 'append', output, index: this.outputs.length - 1 });
    return output;
  }

  /** Says that `output`, already appended, changed in place. */
  update(output: Output): void {
    if (this.#detached) return;
    const index = this.outputs.indexOf(output);
    if (index >= 0) this.#emit({ type: 'update', output, index });
  }

  clear(): void {
    this.outputs.length = 0;
    this.#logLines = 0;
    this.#droppedLogs = 0;
    this.#emit({ type: 'clear' });
  }

  /** A newer run of the cell took over: from now on this one keeps nothing. */
  detach(): void {
    this.#detached = true;
    this.#listeners.clear();
  }

  onChange(listener: (change: RunChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(change: RunChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}
