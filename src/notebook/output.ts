/**
 * What a cell shows below itself, one item per thing that happened while (or after) it ran.
 * Items hold live values (objects, errors, canvases): the UI renders them by type. Items that
 * change after they appear (progress, charts, display handles) keep their identity and are
 * reported again through `CellRun.onChange`.
 */
export type Output =
  /** `console.*` in the cell (`task` absent) or in a task it started (`task` set). */
  | { type: 'log'; level: LogLevel; args: unknown[]; task?: { id: string; name: string; nodeId: string; workerId: string } }
  /** The value of the cell's last expression. */
  | { type: 'result'; value: unknown }
  /** `display(value)`; `update` replaces `value`. */
  | { type: 'display'; value: unknown }
  /** The cell threw, or a promise it awaited rejected. `line` is the cell's line, where the stack tells it. */
  | { type: 'error'; error: unknown; line: number | null }
  /** The cell does not parse; it ran nothing. */
  | { type: 'syntax-error'; message: string; line: number | null; column: number | null }
  | { type: 'progress'; label: string; value: number; total: number }
  /** A series that grows live: every `metric` event of `source`, or a `chart()` the cell feeds. */
  | { type: 'chart'; source: string; steps: number[]; series: Map<string, (number | null)[]> }
  /** A canvas the cell draws on (made by `canvas()`, or any canvas passed to `display`). */
  | { type: 'canvas'; canvas: unknown }
  /** "Interrupt" stopped the cell. */
  | { type: 'interrupted'; cancelledTasks: number };

export type LogLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

export type OutputType = Output['type'];
