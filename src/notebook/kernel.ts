import { RayboxError, registerErrorClasses } from '../core/errors.ts';
import type { RayboxEvent } from '../core/events.ts';
import type { CodeLanguage } from './cell.ts';
import type { CellRun, RunStatus } from './cell-run.ts';
import { CELL_LINE_OFFSET, CONTEXT_NAME, cellSourceUrl, cellWrapper, compileCell } from './compile.ts';
import { LOOP_GUARD_NAME, LoopGuard, LoopStoppedError } from './loop-guard.ts';
import type { LogLevel, Output } from './output.ts';

/** The event types the kernel reads: task logs for the cells' outputs, metrics for their charts. */
export const KERNEL_EVENT_TYPES: readonly RayboxEvent['type'][] = ['log', 'metric'];

/**
 * What the kernel needs of raybox. The kernel never follows task events: the cell's context travels
 * with each submission (and on to the tasks those start), and the runtime answers for it.
 */
export interface KernelRuntime {
  /** Events of the given types, in batches. */
  onEventBatch(listener: (events: readonly RayboxEvent[]) => void, options?: { types?: readonly RayboxEvent['type'][] }): () => void;
  /** Tags every task submitted from the page from now on with `context`; null: none. */
  setSubmissionContext(context: string | null): void;
  /**
   * Cancels the unfinished tasks submitted in `context` (and the tasks they started; a running
   * one has its worker replaced), and any submitted in it later. Returns the ids cancelled now.
   */
  cancelContext(context: string): string[];
  /** The context a task was submitted in, while the runtime still knows the task. */
  contextOf(taskId: string): string | undefined;
}

export interface KernelOptions {
  runtime: KernelRuntime;
  /** Names every cell sees unless it declares its own, e.g. `{ raybox }`. */
  globals?: Record<string, unknown>;
  /** Makes the canvas `canvas()` returns a context of; absent where there is no DOM. */
  createCanvas?: (width: number, height: number) => CanvasLike;
  /**
   * Names loaded the first time a cell mentions them, then seen by every cell, e.g.
   * `{ tf: () => loadTf() }`: a page whose cells never touch tensors never loads TensorFlow.js.
   */
  onDemand?: Record<string, () => Promise<unknown>>;
  /** The loop guard of cell code (tests give it a short budget). @default new LoopGuard() */
  loopGuard?: LoopGuard;
}

/** The part of a canvas element the kernel touches. */
export interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): unknown;
}

/** The functions a cell sees besides the shared scope and the globals. */
export const HELPER_NAMES = ['console', 'display', 'progress', 'chart', 'canvas', 'interrupted'] as const;

/** What `display()` returns: the output stays, and `update` replaces what it shows. */
export interface DisplayHandle {
  update(value: unknown): void;
}

/** What `progress()` returns. */
export interface ProgressHandle {
  readonly value: number;
  update(value: number): void;
  increment(by?: number): void;
  done(): void;
}

/** What `chart()` returns: a live line chart the cell feeds one step at a time. */
export interface ChartHandle {
  add(step: number, values: Record<string, number>): void;
}

/** Thrown into the awaiting cell when "Interrupt" is pressed. */
export class InterruptedError extends RayboxError {
  override readonly name = 'InterruptedError';
  constructor() {
    super('The cell was interrupted; its tasks were cancelled.');
  }
}
registerErrorClasses(InterruptedError);

/** One run as the kernel follows it: its submission context, whether it was interrupted. */
class Tracking {
  readonly run: CellRun;
  /** The context its tasks are submitted in. */
  readonly context: string;
  interrupted = false;
  readonly aborted: Promise<never>;
  abort!: () => void;

  constructor(run: CellRun, context: string) {
    this.run = run;
    this.context = context;
    this.aborted = new Promise<never>((_, reject) => {
      this.abort = () => reject(new InterruptedError());
    });
    // Nobody may await `aborted` if the cell finished first; keep that from being reported.
    this.aborted.catch(() => {});
  }
}

/** Runs whose contexts the kernel maps back to cells, for task logs that come late; older ones are forgotten. */
const RUNS_KEPT = 256;

/**
 * Runs code cells, one at a time, in one shared scope, as a Jupyter kernel runs Python. Beyond
 * the code itself it attributes what raybox reports to the cell that caused it: a task submitted
 * while a cell runs belongs to that cell, so its logs land in the cell's output, "Interrupt"
 * cancels it, and a metric source first reported during a cell draws a live chart there.
 */
export class Kernel {
  #runtime: KernelRuntime;
  #globals: Record<string, unknown>;
  #createCanvas: KernelOptions['createCanvas'];
  #scope: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  #current: Tracking | null = null;
  /** An interrupted run whose code may still be going: its loops stop at their next turn. */
  #zombie: Tracking | null = null;
  /** Recent runs by context, oldest first. */
  #runs = new Map<string, Tracking>();
  #runCount = 0;
  #charts = new Map<string, { run: CellRun; output: Extract<Output, { type: 'chart' }> }>();
  #unsubscribe: (() => void) | null = null;
  #compiled = 0;
  #onDemand: Record<string, () => Promise<unknown>>;
  #loopGuard: LoopGuard;
  /** Compiled cell number → its run, for the loop guard of code that cell defined. */
  #runsByCell = new Map<number, Tracking>();

  constructor(options: KernelOptions) {
    this.#runtime = options.runtime;
    this.#globals = { ...options.globals };
    this.#createCanvas = options.createCanvas;
    this.#onDemand = { ...options.onDemand };
    this.#loopGuard = options.loopGuard ?? new LoopGuard();
  }

  /** The shared scope: every top-level name the cells have declared. */
  get scope(): Readonly<Record<string, unknown>> {
    return this.#scope;
  }

  get running(): boolean {
    return this.#current !== null;
  }

  /**
   * Runs one cell's source into `run`. Resolves (never rejects) when the code has returned,
   * thrown, or been interrupted, with the run's final status.
   */
  async execute(run: CellRun, source: string, language: CodeLanguage): Promise<RunStatus> {
    if (this.#current) throw new Error('Kernel.execute: a cell is already running; the session queues cells.');
    this.#subscribe();
    try {
      await this.#loadOnDemand(source);
    } catch (error) {
      run.append({ type: 'error', error, line: null });
      run.setStatus('failed');
      return 'failed';
    }
    const globalNames = Object.keys(this.#globals);
    const compiled = compileCell(source, language, [...HELPER_NAMES, ...globalNames]);
    if (!compiled.ok) {
      run.append({ type: 'syntax-error', message: compiled.message, line: compiled.line, column: compiled.column });
      run.setStatus('failed');
      return 'failed';
    }
    const cellNumber = ++this.#compiled;
    const url = cellSourceUrl(cellNumber);
    const fn = new Function(CONTEXT_NAME, ...HELPER_NAMES, ...globalNames, `${cellWrapper(compiled.body, compiled.functions)}\n//# sourceURL=${url}`) as (
      ...args: unknown[]
    ) => Promise<unknown>;
    for (const name of compiled.declared) if (!(name in this.#scope)) this.#scope[name] = undefined;

    const tracking = new Tracking(run, `cell-run-${++this.#runCount}`);
    this.#runs.set(tracking.context, tracking);
    if (this.#runs.size > RUNS_KEPT) this.#runs.delete(this.#runs.keys().next().value ?? '');
    this.#current = tracking;
    this.#zombie = null;
    this.#runsByCell.set(cellNumber, tracking);
    this.#installLoopGuard();
    this.#loopGuard.start();
    this.#runtime.setSubmissionContext(tracking.context);
    run.setStatus('running');
    let status: RunStatus;
    try {
      const value = await Promise.race([fn({ scope: this.#scope, cell: cellNumber }, ...this.#helpers(tracking), ...globalNames.map((n) => this.#globals[n])), tracking.aborted]);
      if (value !== undefined) run.append({ type: 'result', value });
      status = 'done';
    } catch (error) {
      if (tracking.interrupted) status = 'interrupted';
      else if (error instanceof LoopStoppedError) {
        // The page stopped a loop that froze it: as good as "Interrupt", with the reason shown.
        run.append({ type: 'error', error, line: cellLine(error, url) });
        if (this.#current === tracking) this.interrupt();
        status = 'interrupted';
      } else {
        run.append({ type: 'error', error: withoutKernelFrames(error), line: cellLine(error, url) });
        status = 'failed';
      }
    } finally {
      if (this.#current === tracking) {
        this.#current = null;
        this.#runtime.setSubmissionContext(null);
      }
      this.#loopGuard.stop();
    }
    run.setStatus(status);
    return status;
  }

  /** The run whose tasks carry submission context `context`, while the kernel remembers it. */
  runOf(context: string): CellRun | undefined {
    return this.#runs.get(context)?.run;
  }

  /** Stops the running cell: cancels its unfinished tasks and stops awaiting its code. */
  interrupt(): boolean {
    const tracking = this.#current;
    if (!tracking) return false;
    tracking.interrupted = true;
    // Its code may go on (an await that never returns): what it submits stays in its context, which
    // the runtime now cancels on submission.
    const ids = this.#cancelContext(tracking.context);
    tracking.run.append({ type: 'interrupted', cancelledTasks: ids.length });
    this.#current = null;
    this.#zombie = tracking;
    tracking.abort();
    return true;
  }

  /** Forgets every name the cells declared (after interrupting a running cell). */
  restart(): void {
    this.interrupt();
    this.#zombie = null;
    this.#runsByCell.clear();
    this.#scope = Object.create(null) as Record<string, unknown>;
    this.#runtime.setSubmissionContext(null);
    this.#runs.clear();
    this.#charts.clear();
  }

  dispose(): void {
    this.restart();
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  /** Loads the on-demand names `source` mentions (`tf.ones`, not `tfx` or `a.tf`) that are not loaded yet. */
  async #loadOnDemand(source: string): Promise<void> {
    for (const [name, load] of Object.entries(this.#onDemand)) {
      if (name in this.#globals || !new RegExp(`(^|[^\\w$.])${name}\\b`).test(source)) continue;
      this.#globals[name] = await load();
    }
  }

  /**
   * The global every loop in cell code calls each turn (see compile.ts). It stops the loop when
   * the run of the cell that wrote it was interrupted, when "Interrupt" stopped whatever ran and
   * no cell runs now, or when the loop has held the page past the guard's budget.
   */
  #installLoopGuard(): void {
    const interrupted = (cell: unknown): boolean => {
      const owner = typeof cell === 'number' ? this.#runsByCell.get(cell) : undefined;
      return owner?.interrupted === true || (this.#current === null && this.#zombie !== null);
    };
    (globalThis as Record<string, unknown>)[LOOP_GUARD_NAME] = (cell?: unknown) => this.#loopGuard.turn(() => interrupted(cell), () => new InterruptedError());
  }

  #subscribe(): void {
    this.#unsubscribe ??= this.#runtime.onEventBatch(
      (events) => {
        for (const event of events) this.#onEvent(event);
      },
      { types: KERNEL_EVENT_TYPES },
    );
  }

  #cancelContext(context: string): string[] {
    try {
      return this.#runtime.cancelContext(context);
    } catch (error) {
      console.warn('raybox notebook: cancelling the tasks of', context, 'failed', error);
      return [];
    }
  }

  #onEvent(event: RayboxEvent): void {
    switch (event.type) {
      case 'log': {
        // A line whose task the worker could not tell (logged after an await) goes to the cell running now.
        const context = event.taskId === '' ? undefined : this.#runtime.contextOf(event.taskId);
        const owner = (context === undefined ? undefined : this.#runs.get(context)) ?? this.#current;
        if (!owner) return;
        owner.run.append({
          type: 'log',
          level: event.level,
          args: [event.text],
          task: { id: event.taskId, name: event.name, nodeId: event.nodeId, workerId: event.workerId },
        });
        return;
      }
      case 'metric': {
        const run = this.#current?.run ?? this.#charts.get(event.source)?.run;
        if (run) this.#chartPoint(run, event.source, event.step, event.values);
        return;
      }
      case 'task':
      case 'node':
      case 'object':
      case 'actor':
      case 'serve':
      case 'data':
      case 'trial':
      case 'train':
        return;
      default: {
        // Exhaustive at compile time; an event type added later is ignored at run time.
        const unknownEvent: never = event;
        void unknownEvent;
      }
    }
  }

  /** Adds a point to the chart of `source` in `run`, making the chart on its first point. */
  #chartPoint(run: CellRun, source: string, step: number, values: Record<string, number>): void {
    let entry = this.#charts.get(source);
    if (!entry || entry.run !== run) {
      entry = { run, output: run.append({ type: 'chart', source, steps: [], series: new Map() }) };
      this.#charts.set(source, entry);
    }
    addPoint(entry.output, step, values);
    run.update(entry.output);
  }

  /**
   * The helpers of one run, in `HELPER_NAMES` order. Output goes to the cell running now (a
   * function defined in an earlier cell prints where it is called, as in Jupyter), else to this
   * one; an interrupted run whose code goes on keeps what it prints to itself.
   */
  #helpers(own: Tracking): unknown[] {
    const target = () => (own.interrupted ? own.run : (this.#current?.run ?? own.run));
    const log = (level: LogLevel) => (...args: unknown[]) => {
      target().append({ type: 'log', level, args });
    };
    const cellConsole = Object.assign(Object.create(globalThis.console) as Console, {
      log: log('log'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      debug: log('debug'),
      table: (value: unknown) => void target().append({ type: 'display', value }),
      dir: (value: unknown) => void target().append({ type: 'display', value }),
    });
    const display = (value: unknown): DisplayHandle => {
      const run = target();
      if (isCanvas(value)) {
        run.append({ type: 'canvas', canvas: value });
        return { update: () => {} };
      }
      const output = run.append({ type: 'display', value });
      return {
        update(next: unknown) {
          output.value = next;
          run.update(output);
        },
      };
    };
    const progress = (total = 100, label = ''): ProgressHandle => {
      const run = target();
      const output = run.append({ type: 'progress', label: String(label), value: 0, total: Number(total) || 100 });
      const set = (value: number) => {
        output.value = Math.min(Math.max(value, 0), output.total);
        run.update(output);
      };
      return {
        get value() {
          return output.value;
        },
        update: set,
        increment: (by = 1) => set(output.value + by),
        done: () => set(output.total),
      };
    };
    const chart = (title = 'chart'): ChartHandle => {
      const run = target();
      const output = run.append({ type: 'chart', source: String(title), steps: [], series: new Map() });
      return {
        add(step: number, values: Record<string, number>) {
          addPoint(output, step, values);
          run.update(output);
        },
      };
    };
    const canvas = (width = 480, height = 240): unknown => {
      if (!this.#createCanvas) throw new Error('canvas(): this page has no DOM to draw on.');
      const element = this.#createCanvas(width, height);
      target().append({ type: 'canvas', canvas: element });
      return element.getContext('2d');
    };
    const interrupted = () => own.interrupted;
    return [cellConsole, display, progress, chart, canvas, interrupted];
  }
}

/** Points a chart keeps; past it, every other point goes (the curve keeps its shape at half the resolution). */
export const MAX_CHART_POINTS = 5_000;

function addPoint(output: Extract<Output, { type: 'chart' }>, step: number, values: Record<string, number>): void {
  if (output.steps.length >= MAX_CHART_POINTS) thin(output);
  const index = output.steps.length;
  output.steps.push(step);
  for (const [key, value] of Object.entries(values)) {
    if (typeof value !== 'number') continue;
    let column = output.series.get(key);
    if (!column) {
      column = new Array<number | null>(index).fill(null);
      output.series.set(key, column);
    }
    column.push(Number.isFinite(value) ? value : null);
  }
  for (const column of output.series.values()) if (column.length === index) column.push(null);
}

/** Keeps every other point of a chart, and the last: a chart fed forever stays bounded, O(1) per point amortised. */
function thin(output: Extract<Output, { type: 'chart' }>): void {
  const keep = (_: unknown, i: number, all: unknown[]) => i % 2 === 1 || i === all.length - 1;
  output.steps = output.steps.filter(keep);
  for (const [key, column] of output.series) output.series.set(key, column.filter(keep));
}

function isCanvas(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { getContext?: unknown }).getContext === 'function' &&
    typeof (value as { width?: unknown }).width === 'number'
  );
}

/**
 * The error with its stack cut after the last frame of cell code: the frames below it are the
 * kernel's and the notebook's own (`Kernel.execute`, `notebook-session.ts`), noise to the reader.
 */
function withoutKernelFrames(error: unknown): unknown {
  if (!(error instanceof Error) || !error.stack) return error;
  const lines = error.stack.split('\n');
  let last = -1;
  lines.forEach((line, i) => {
    if (/raybox-cell-\d+\.js/.test(line)) last = i;
  });
  if (last >= 0 && last < lines.length - 1) error.stack = lines.slice(0, last + 1).join('\n');
  return error;
}

/** The cell line an error was thrown at, read from the stack frame of the cell's code. */
function cellLine(error: unknown, url: string): number | null {
  const stack = error instanceof Error ? error.stack : undefined;
  if (!stack) return null;
  const match = new RegExp(`${url.replace(/\./g, '\\.')}:(\\d+):\\d+`).exec(stack);
  if (!match) return null;
  const line = Number(match[1]) - CELL_LINE_OFFSET;
  return line >= 1 ? line : null;
}
