import type { TaskEvent } from '../core/events.ts';
import { el } from '../ui/dom.ts';
import { TimelineModel } from '../ui/dashboard/timeline-model.ts';

/** Task runs one block keeps for its strip; a block that runs more shows the most recent ones. */
const SPANS_KEPT = 2_000;
const LANE_HEIGHT = 8;
const LANE_GAP = 2;
const HEIGHT_MAX = 120;

/**
 * A compact task timeline under one block's output: a row per worker that ran the block's tasks,
 * a bar per task run, and a one-line summary. The same model as the dashboard's timeline (spans
 * from the task events, capped), drawn small, without tools, in the host page's colours, at most
 * once per animation frame.
 */
export class BlockTimeline {
  readonly element: HTMLElement;
  #model = new TimelineModel(SPANS_KEPT);
  #canvas = el('canvas', { className: 'raybox-timeline-canvas', role: 'img', 'aria-label': 'Tasks of this block over time' });
  #summary = el('div', { className: 'raybox-timeline-summary' });
  #tasks = new Set<string>();
  #frame = 0;
  /** Whether bars of running tasks grow with the clock: while the block runs. */
  #live = true;

  constructor() {
    this.element = el('div', { className: 'raybox-timeline', 'data-raybox-timeline': '', hidden: true }, this.#canvas, this.#summary);
  }

  apply(event: TaskEvent): void {
    this.#tasks.add(event.taskId);
    if (this.#model.apply(event)) this.#schedule();
  }

  /** The block's run is over: its strip stops following the clock (late task events still draw). */
  settle(): void {
    this.#live = false;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#frame !== 0) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.draw();
    });
  }

  draw(): void {
    const now = Date.now();
    const extent = this.#model.extent(now);
    if (!extent) return;
    this.element.hidden = false;
    const lanes = this.#model.lanes;
    const cssWidth = Math.max(120, this.element.clientWidth || 480);
    const cssHeight = Math.min(HEIGHT_MAX, lanes.length * (LANE_HEIGHT + LANE_GAP));
    const laneHeight = cssHeight / Math.max(1, lanes.length);
    const dpr = globalThis.devicePixelRatio || 1;
    this.#canvas.width = Math.round(cssWidth * dpr);
    this.#canvas.height = Math.round(cssHeight * dpr);
    this.#canvas.style.height = `${cssHeight}px`;
    const ctx = this.#canvas.getContext('2d');
    if (!ctx) return;
    const style = getComputedStyle(this.element);
    const colour = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
    const running = colour('--rb-accent', '#2563eb');
    const failed = colour('--rb-danger', '#c62828');
    const finished = colour('--rb-muted', '#66758a');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssWidth, cssHeight);
    const scale = cssWidth / (extent.end - extent.start);
    this.#model.visible(extent.start, extent.end, now, (span) => {
      const end = Number.isNaN(span.end) ? now : span.end;
      ctx.fillStyle = span.state === 'RUNNING' ? running : span.state === 'FINISHED' ? finished : failed;
      ctx.fillRect((span.start - extent.start) * scale, span.lane.row * laneHeight, Math.max(1, (end - span.start) * scale), Math.max(1, laneHeight - LANE_GAP));
    });
    const workers = lanes.length === 1 ? '1 worker' : `${lanes.length} workers`;
    const tasks = this.#tasks.size === 1 ? '1 task' : `${this.#tasks.size.toLocaleString()} tasks`;
    this.#summary.textContent = `${tasks} on ${workers} · ${formatMs(extent.end - extent.start)}`;
    this.element.dataset['spans'] = String(this.#model.size);
    this.element.dataset['lanes'] = String(lanes.length);
    if (this.#live && this.#model.running) this.#schedule();
  }
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
