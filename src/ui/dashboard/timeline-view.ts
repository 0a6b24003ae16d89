import { button, download, el } from '../dom.ts';
import { toChromeTrace } from './chrome-trace.ts';
import type { Lane, Span, TimelineModel } from './timeline-model.ts';

const LANE_HEIGHT = 18;
const AXIS_HEIGHT = 22;
const LABEL_WIDTH = 110;
const EMPTY_HINT = 'Tasks appear here as they run.';

/**
 * The timeline: a lane per worker per node, a bar per task from RUNNING to its end. The wheel
 * zooms around the pointer, dragging pans, "Fit" shows everything (and then follows new tasks);
 * "Export trace" saves Chrome trace JSON for Perfetto.
 */
export class TimelineView {
  readonly element: HTMLElement;
  #model: TimelineModel;
  #canvas = el('canvas', { className: 'rb-timeline-canvas', 'aria-label': 'Task timeline', role: 'img' });
  #hover = el('div', { className: 'rb-timeline-hover rb-muted' }, EMPTY_HINT);
  #note = el('p', { className: 'rb-muted rb-dropped-note', 'data-timeline-dropped': '', hidden: true });
  /** The shown range in epoch ms; null follows the whole extent. */
  #view: { start: number; end: number } | null = null;
  #now: () => number;
  /** The canvas's CSS width, kept by a ResizeObserver: a redraw reads no layout (which would force one). */
  #cssWidth = 0;

  constructor(model: TimelineModel, now: () => number = Date.now) {
    this.#model = model;
    this.#now = now;
    if (typeof ResizeObserver !== 'undefined') {
      new ResizeObserver((entries) => {
        const width = entries[0]?.contentRect.width ?? 0;
        if (width > 0 && Math.round(width) !== Math.round(this.#cssWidth)) {
          this.#cssWidth = width;
          this.draw();
        }
      }).observe(this.#canvas);
    }
    const tools = el(
      'div',
      { className: 'rb-timeline-tools' },
      button('Zoom in', () => this.zoom(0.5), { text: '+', className: 'rb-tool' }),
      button('Zoom out', () => this.zoom(2), { text: '−', className: 'rb-tool' }),
      button('Fit', () => this.zoomToFit(), { className: 'rb-tool' }),
      button('Export trace', () => this.export(), { className: 'rb-tool', title: 'Export as Chrome trace JSON (open it in ui.perfetto.dev)' }),
    );
    this.element = el('div', { className: 'rb-timeline' }, tools, this.#canvas, this.#hover, this.#note);
    this.#canvas.addEventListener('wheel', (event) => {
      event.preventDefault();
      const fraction = this.#fractionAt(event.offsetX);
      if (event.shiftKey) this.#pan((event.deltaY / 500) * this.#span());
      else this.zoom(event.deltaY > 0 ? 1.25 : 0.8, fraction);
    }, { passive: false });
    let dragX: number | null = null;
    this.#canvas.addEventListener('pointerdown', (event) => {
      dragX = event.clientX;
      this.#canvas.setPointerCapture(event.pointerId);
    });
    this.#canvas.addEventListener('pointerup', () => (dragX = null));
    this.#canvas.addEventListener('pointermove', (event) => {
      if (dragX !== null) {
        const width = this.#canvas.clientWidth - LABEL_WIDTH;
        this.#pan(((dragX - event.clientX) / Math.max(1, width)) * this.#span());
        dragX = event.clientX;
      } else this.#showHover(event.offsetX, event.offsetY);
    });
  }

  /** Zooms by `factor` (< 1 zooms in) around `fraction` of the width (0.5: the middle). */
  zoom(factor: number, fraction = 0.5): void {
    const range = this.#range();
    if (!range) return;
    const span = range.end - range.start;
    const center = range.start + span * fraction;
    const next = Math.max(1, span * factor);
    this.#view = { start: center - next * fraction, end: center - next * fraction + next };
    this.draw();
  }

  zoomToFit(): void {
    this.#view = null;
    this.draw();
  }

  export(): void {
    download(`raybox-trace-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, JSON.stringify(toChromeTrace(this.#model, this.#now())));
  }

  draw(): void {
    const canvas = this.#canvas;
    const lanes = this.#model.lanes;
    if (this.#cssWidth === 0) this.#cssWidth = canvas.clientWidth || this.element.clientWidth;
    const cssWidth = Math.max(200, this.#cssWidth || 400);
    const cssHeight = AXIS_HEIGHT + Math.max(3, lanes.length) * LANE_HEIGHT + 4;
    const dpr = globalThis.devicePixelRatio || 1;
    if (canvas.width !== Math.round(cssWidth * dpr) || canvas.height !== Math.round(cssHeight * dpr)) {
      canvas.width = Math.round(cssWidth * dpr);
      canvas.height = Math.round(cssHeight * dpr);
      canvas.style.height = `${cssHeight}px`;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssWidth, cssHeight);
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    const range = this.#range();
    // Lanes and their labels.
    let previousNode = '';
    for (const lane of lanes) {
      const y = AXIS_HEIGHT + lane.row * LANE_HEIGHT;
      ctx.fillStyle = lane.row % 2 === 0 ? '#f8fafc' : '#ffffff';
      ctx.fillRect(0, y, cssWidth, LANE_HEIGHT);
      ctx.fillStyle = '#475569';
      const label = lane.nodeId !== previousNode ? `${lane.nodeId} · ${lane.workerId}` : `  · ${lane.workerId}`;
      ctx.fillText(label, 4, y + LANE_HEIGHT / 2, LABEL_WIDTH - 8);
      previousNode = lane.nodeId;
    }
    ctx.strokeStyle = '#cbd5e1';
    ctx.beginPath();
    ctx.moveTo(LABEL_WIDTH - 0.5, 0);
    ctx.lineTo(LABEL_WIDTH - 0.5, cssHeight);
    ctx.stroke();
    if (!range) return;
    const width = cssWidth - LABEL_WIDTH;
    const scale = width / (range.end - range.start);
    this.#drawAxis(ctx, range, scale, width);
    // Bars: only the spans in view (the model's index finds them). A bar that would fall on pixels
    // its lane already filled this frame is skipped: a frame costs at most one bar per pixel per lane.
    const now = this.#now();
    ctx.save();
    ctx.beginPath();
    ctx.rect(LABEL_WIDTH, AXIS_HEIGHT, width, cssHeight - AXIS_HEIGHT);
    ctx.clip();
    const filledTo = new Map<Lane, number>();
    let drawn = 0;
    this.#model.visible(range.start, range.end, now, (span) => {
      const end = Number.isNaN(span.end) ? now : span.end;
      const x = LABEL_WIDTH + (span.start - range.start) * scale;
      const w = Math.max(1, (end - span.start) * scale);
      if (w < 2 && Math.floor(x + w) <= (filledTo.get(span.lane) ?? -Infinity)) return;
      filledTo.set(span.lane, Math.max(filledTo.get(span.lane) ?? -Infinity, Math.floor(x + w)));
      const y = AXIS_HEIGHT + span.lane.row * LANE_HEIGHT + 2;
      ctx.fillStyle = colorOf(span);
      ctx.fillRect(x, y, w, LANE_HEIGHT - 4);
      drawn++;
      if (w > 40) {
        ctx.fillStyle = '#ffffff';
        ctx.fillText(this.#model.noteOf(span.taskId) ?? span.name, x + 3, y + (LANE_HEIGHT - 4) / 2, w - 6);
      }
    });
    ctx.restore();
    if (this.#hover.textContent === EMPTY_HINT) this.#hover.textContent = 'Wheel: zoom · drag: pan · hover a bar to see its task';
    this.element.dataset['spans'] = String(this.#model.size);
    this.element.dataset['drawn'] = String(drawn);
    this.element.dataset['lanes'] = String(lanes.length);
    const dropped = this.#model.dropped;
    this.#note.hidden = dropped === 0;
    if (dropped > 0) this.#note.textContent = `Showing the most recent ${this.#model.size.toLocaleString()} task runs; ${dropped.toLocaleString()} earlier ones are not kept.`;
  }

  #drawAxis(ctx: CanvasRenderingContext2D, range: { start: number; end: number }, scale: number, width: number): void {
    const origin = this.#model.extent(this.#now())?.start ?? range.start;
    const step = niceStep((range.end - range.start) / Math.max(1, width / 90));
    ctx.fillStyle = '#64748b';
    ctx.strokeStyle = '#e2e8f0';
    const first = Math.ceil((range.start - origin) / step) * step + origin;
    for (let t = first; t <= range.end; t += step) {
      const x = LABEL_WIDTH + (t - range.start) * scale;
      ctx.beginPath();
      ctx.moveTo(x + 0.5, AXIS_HEIGHT - 4);
      ctx.lineTo(x + 0.5, ctx.canvas.height);
      ctx.stroke();
      ctx.fillText(formatMs(t - origin), x + 3, AXIS_HEIGHT / 2);
    }
  }

  #range(): { start: number; end: number } | null {
    return this.#view ?? this.#model.extent(this.#now());
  }

  #span(): number {
    const range = this.#range();
    return range ? range.end - range.start : 1;
  }

  #pan(deltaMs: number): void {
    const range = this.#range();
    if (!range) return;
    this.#view = { start: range.start + deltaMs, end: range.end + deltaMs };
    this.draw();
  }

  #fractionAt(x: number): number {
    const width = this.#canvas.clientWidth - LABEL_WIDTH;
    return Math.min(1, Math.max(0, (x - LABEL_WIDTH) / Math.max(1, width)));
  }

  #showHover(x: number, y: number): void {
    const range = this.#range();
    if (!range || x < LABEL_WIDTH) return;
    const row = Math.floor((y - AXIS_HEIGHT) / LANE_HEIGHT);
    const t = range.start + this.#fractionAt(x) * (range.end - range.start);
    const tolerance = (range.end - range.start) / Math.max(1, this.#canvas.clientWidth - LABEL_WIDTH) * 2;
    const now = this.#now();
    let span: Span | undefined;
    this.#model.visible(t - tolerance, t + tolerance, now, (s) => {
      if (s.lane.row === row) span ??= s;
    });
    if (span) {
      const end = Number.isNaN(span.end) ? now : span.end;
      const note = this.#model.noteOf(span.taskId);
      this.#hover.textContent = `${span.name} (${span.taskId}) ${span.state} on ${span.lane.nodeId}/${span.lane.workerId}: ${formatMs(end - span.start)}${note ? ` · ${note}` : ''}`;
    }
  }
}

/** Colours by task name, computed once per name (a frame may draw thousands of bars). */
const hues = new Map<string, number>();

function colorOf(span: Span): string {
  if (span.state === 'FAILED') return '#dc2626';
  if (span.state === 'CANCELLED') return '#94a3b8';
  let hue = hues.get(span.name);
  if (hue === undefined) {
    // Hues from cyan to violet, so no task's colour reads as the red of a failure.
    let hash = 0;
    for (let i = 0; i < span.name.length; i++) hash = (hash * 31 + span.name.charCodeAt(i)) | 0;
    hue = 170 + (Math.abs(hash) % 130);
    if (hues.size < 1000) hues.set(span.name, hue);
  }
  return span.state === 'RUNNING' ? `hsl(${hue} 65% 60%)` : `hsl(${hue} 55% 45%)`;
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-3)));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

function formatMs(ms: number): string {
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  if (Math.abs(ms) < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
