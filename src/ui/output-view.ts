import type { CellRun, RunChange } from '../notebook/cell-run.ts';
import type { Output } from '../notebook/output.ts';
import type { SavedRun } from '../notebook/saved-output.ts';
import { el, frameScheduler } from './dom.ts';
import { LiveChart } from './live-chart.ts';
import { previewText, renderError, renderValue } from './value-view.ts';

interface Rendered {
  element: HTMLElement;
  /** Redraws an output that changed in place (progress, chart, display). */
  update?: () => void;
  destroy?: () => void;
}

/**
 * The output area of one cell (`data-output`): it shows the cell's latest run and follows it as
 * outputs arrive, redrawing at most once per frame however fast they come.
 */
export class OutputView {
  readonly element: HTMLElement;
  #run: CellRun | undefined;
  #unsubscribe: (() => void) | undefined;
  #rendered = new Map<Output, Rendered>();
  #dirty = new Set<Output>();
  #pending: Output[] = [];
  #dropped: HTMLElement | null = null;
  #frame = frameScheduler(() => this.#flush());

  constructor() {
    this.element = el('div', { className: 'rb-output', 'data-output': '', 'aria-live': 'polite' });
  }

  /** Shows `run` (or nothing) from now on. */
  show(run: CellRun | undefined): void {
    this.#unsubscribe?.();
    this.#clear();
    this.#run = run;
    if (!run) return;
    this.#pending.push(...run.outputs);
    this.#unsubscribe = run.onChange((change) => this.#onChange(change));
    this.#frame.schedule();
  }

  /** Shows the outputs a notebook file kept from a run before this page opened, marked as such. */
  showSaved(saved: SavedRun): void {
    this.show(undefined);
    this.element.append(
      el('div', { className: 'rb-previous-run', 'data-previous-run': '' }, 'From a previous run: run the cell to bring it up to date.'),
      ...saved.outputs.map((output) =>
        el('div', { className: `rb-saved-output${output.level ? ` rb-log-${output.level}` : ''}${output.kind.endsWith('error') ? ' rb-error-head' : ''}`, 'data-kind': output.kind }, output.text),
      ),
    );
  }

  destroy(): void {
    this.#unsubscribe?.();
    this.#frame.cancel();
    this.#clear();
  }

  #onChange(change: RunChange): void {
    switch (change.type) {
      case 'append':
        this.#pending.push(change.output);
        break;
      case 'update':
        this.#dirty.add(change.output);
        break;
      case 'clear':
        this.#clear();
        break;
      case 'status':
        // A finished run shows all its outputs by the time its cell says so (no frame later).
        if (change.status !== 'queued' && change.status !== 'running') {
          this.#frame.cancel();
          this.#flush();
          return;
        }
        break;
      default: {
        const unknownChange: never = change;
        void unknownChange;
      }
    }
    this.#frame.schedule();
  }

  #flush(): void {
    for (const output of this.#pending.splice(0)) {
      const rendered = renderOutput(output);
      this.#rendered.set(output, rendered);
      this.element.append(rendered.element);
      rendered.update?.();
      this.#dirty.delete(output);
    }
    for (const output of this.#dirty) this.#rendered.get(output)?.update?.();
    this.#dirty.clear();
    const dropped = this.#run?.droppedLogs ?? 0;
    if (dropped > 0) {
      this.#dropped ??= this.element.appendChild(el('div', { className: 'rb-muted' }));
      this.#dropped.textContent = `… ${dropped} more log lines (see Logs in the dashboard)`;
    }
  }

  #clear(): void {
    for (const rendered of this.#rendered.values()) rendered.destroy?.();
    this.#rendered.clear();
    this.#dirty.clear();
    this.#pending = [];
    this.#dropped = null;
    this.element.replaceChildren();
  }
}

function renderOutput(output: Output): Rendered {
  switch (output.type) {
    case 'log': {
      const line = el('div', { className: `rb-log rb-log-${output.level}`, 'data-kind': 'log' });
      if (output.task) {
        line.dataset['task'] = output.task.id;
        line.append(el('span', { className: 'rb-log-task', title: `task ${output.task.id} on ${output.task.nodeId}/${output.task.workerId}` }, `${output.task.name} · ${output.task.workerId}`));
      }
      output.args.forEach((arg, i) => {
        if (i > 0) line.append(' ');
        line.append(typeof arg === 'object' && arg !== null && !(arg instanceof Error) ? el('span', { className: 'rb-log-value' }, previewText(arg)) : renderValue(arg, { rawStrings: true }));
      });
      return { element: line };
    }
    case 'result':
      return { element: el('div', { className: 'rb-result', 'data-kind': 'result' }, renderValue(output.value)) };
    case 'display': {
      const box = el('div', { className: 'rb-display', 'data-kind': 'display' });
      return { element: box, update: () => box.replaceChildren(renderValue(output.value)) };
    }
    case 'error':
      return { element: el('div', { 'data-kind': 'error' }, renderError(output.error instanceof Error ? output.error : new Error(String(output.error)), output.line)) };
    case 'syntax-error': {
      const where = output.line !== null ? ` (line ${output.line}, column ${output.column ?? '?'})` : '';
      return {
        element: el(
          'div',
          { className: 'rb-error', 'data-kind': 'syntax-error' },
          el('div', { className: 'rb-error-head' }, `SyntaxError: ${output.message}${where}`),
          el('div', { className: 'rb-error-where' }, 'Nothing in this cell ran.'),
        ),
      };
    }
    case 'progress': {
      const bar = el('progress', { max: output.total, value: output.value });
      const text = el('span', { className: 'rb-progress-text' });
      const box = el('div', { className: 'rb-progress', 'data-kind': 'progress' }, el('span', { className: 'rb-progress-label' }, output.label), bar, text);
      return {
        element: box,
        update: () => {
          bar.max = output.total;
          bar.value = output.value;
          text.textContent = `${Math.round(output.value)} / ${output.total}`;
        },
      };
    }
    case 'chart': {
      const chart = new LiveChart(output);
      const box = el('div', { 'data-kind': 'chart' }, chart.element);
      return { element: box, update: () => chart.refresh(), destroy: () => chart.destroy() };
    }
    case 'canvas': {
      const canvas = output.canvas;
      const box = el('div', { className: 'rb-canvas', 'data-kind': 'canvas' });
      if (typeof Node !== 'undefined' && canvas instanceof Node) box.append(canvas);
      else box.append('(a canvas that is not on this page)');
      return { element: box };
    }
    case 'interrupted':
      return {
        element: el(
          'div',
          { className: 'rb-interrupted', 'data-kind': 'interrupted' },
          `Interrupted${output.cancelledTasks > 0 ? `: ${output.cancelledTasks} task${output.cancelledTasks === 1 ? '' : 's'} cancelled` : ''}.`,
        ),
      };
    default: {
      const unknownOutput: never = output;
      return { element: el('div', {}, String(unknownOutput)) };
    }
  }
}
