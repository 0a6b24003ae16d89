import type { CellRun } from './cell-run.ts';
import type { LogLevel, Output, OutputType } from './output.ts';

/**
 * Outputs as a notebook file keeps them, as Jupyter's .ipynb does: what a cell showed after its
 * last run, as text, so a reload or an exported file shows it again ("from a previous run").
 * Live values (objects, canvases, charts) do not survive a reload, so each output keeps the text
 * it would print; running the cell again brings the live view back.
 */
export interface SavedOutput {
  kind: OutputType;
  text: string;
  /** Log lines: their level. */
  level?: LogLevel;
}

/** One cell's last run as saved: its execution count and outputs. */
export interface SavedRun {
  executionCount: number | null;
  outputs: SavedOutput[];
}

/** Limits that keep a chatty cell from bloating the file (the live page keeps everything). */
const MAX_OUTPUTS = 200;
const MAX_TEXT = 10_000;

const KINDS: readonly OutputType[] = ['log', 'result', 'display', 'error', 'syntax-error', 'progress', 'chart', 'canvas', 'interrupted'];
const LEVELS: readonly LogLevel[] = ['log', 'info', 'warn', 'error', 'debug'];

/** The saved form of `run`; `preview` turns a live value into one line of text. */
export function saveRun(run: CellRun, preview: (value: unknown) => string): SavedRun {
  const outputs = run.outputs.slice(0, MAX_OUTPUTS).map((output) => saveOutput(output, preview));
  return { executionCount: run.executionCount, outputs };
}

function saveOutput(output: Output, preview: (value: unknown) => string): SavedOutput {
  const text = (value: string): string => (value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value);
  switch (output.type) {
    case 'log': {
      const line = output.args.map((arg) => (typeof arg === 'string' ? arg : preview(arg))).join(' ');
      return { kind: 'log', level: output.level, text: text(output.task ? `${output.task.name} · ${line}` : line) };
    }
    case 'result':
    case 'display':
      return { kind: output.type, text: text(preview(output.value)) };
    case 'error': {
      const error = output.error;
      const head = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return { kind: 'error', text: text(output.line !== null ? `${head} (line ${output.line})` : head) };
    }
    case 'syntax-error':
      return { kind: 'syntax-error', text: text(`SyntaxError: ${output.message}${output.line !== null ? ` (line ${output.line}, column ${output.column ?? '?'})` : ''}`) };
    case 'progress':
      return { kind: 'progress', text: `${output.label ? `${output.label} ` : ''}${Math.round(output.value)} / ${output.total}` };
    case 'chart':
      return { kind: 'chart', text: `Chart “${output.source}”: ${output.steps.length} points of ${[...output.series.keys()].join(', ')}` };
    case 'canvas':
      return { kind: 'canvas', text: 'A canvas (run the cell again to draw it)' };
    case 'interrupted':
      return { kind: 'interrupted', text: `Interrupted${output.cancelledTasks > 0 ? `: ${output.cancelledTasks} tasks cancelled` : ''}.` };
  }
}

/** Checks saved outputs read from a file; returns a clean copy, or throws `problem(what)`. */
export function decodeSavedRun(executionCount: unknown, outputs: unknown, problem: (what: string) => Error): SavedRun {
  if (executionCount !== undefined && executionCount !== null && !(Number.isSafeInteger(executionCount) && (executionCount as number) >= 0)) {
    throw problem('"executionCount" is not a count');
  }
  if (!Array.isArray(outputs)) throw problem('"outputs" is not a list');
  return {
    executionCount: typeof executionCount === 'number' ? executionCount : null,
    outputs: outputs.slice(0, MAX_OUTPUTS).map((output) => {
      if (typeof output !== 'object' || output === null) throw problem('an output is not an object');
      const { kind, text, level } = output as Record<string, unknown>;
      if (!KINDS.includes(kind as OutputType)) throw problem(`an output has kind ${JSON.stringify(kind)}`);
      if (typeof text !== 'string') throw problem('an output has no text');
      const saved: SavedOutput = { kind: kind as OutputType, text: text.slice(0, MAX_TEXT + 1) };
      if (LEVELS.includes(level as LogLevel)) saved.level = level as LogLevel;
      return saved;
    }),
  };
}
