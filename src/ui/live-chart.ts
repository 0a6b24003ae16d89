import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Output } from '../notebook/output.ts';
import { el } from './dom.ts';

type ChartOutput = Extract<Output, { type: 'chart' }>;

const INTEGER_TICKS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000];

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#be185d', '#4d7c0f', '#6b7280'];

/**
 * A line chart of a series that grows while it is watched (uPlot): x is the step, one line per
 * value name. `refresh` draws what arrived since; a new value name rebuilds the chart.
 */
export class LiveChart {
  readonly element: HTMLElement;
  #output: ChartOutput;
  #plot: uPlot | null = null;
  #keys: string[] = [];
  #resize: ResizeObserver;
  #host: HTMLElement;

  constructor(output: ChartOutput) {
    this.#output = output;
    this.#host = el('div', { className: 'rb-chart-plot' });
    this.element = el('figure', { className: 'rb-chart', 'data-chart': output.source }, el('figcaption', {}, output.source), this.#host);
    this.#resize = new ResizeObserver(() => {
      if (this.#plot) this.#plot.setSize({ width: this.#width(), height: this.#plot.height });
      else this.refresh();
    });
    this.#resize.observe(this.element);
  }

  /** How many points the chart holds (for tests and the caption). */
  get points(): number {
    return this.#output.steps.length;
  }

  refresh(): void {
    this.element.dataset['points'] = String(this.#output.steps.length);
    const keys = [...this.#output.series.keys()];
    const data = [this.#output.steps, ...keys.map((key) => this.#output.series.get(key) ?? [])] as uPlot.AlignedData;
    if (!this.element.isConnected) return;
    if (this.#plot && sameKeys(keys, this.#keys)) {
      this.#plot.setData(data);
      return;
    }
    this.#plot?.destroy();
    this.#keys = keys;
    this.#plot = new uPlot(
      {
        width: this.#width(),
        height: 220,
        scales: { x: { time: false } },
        legend: { live: true },
        cursor: { drag: { x: true, y: false } },
        series: [
          { label: 'step' },
          ...keys.map((key, i) => ({ label: key, show: shownByDefault(key, keys), stroke: PALETTE[i % PALETTE.length], width: 2, spanGaps: true, points: { show: false } })),
        ],
        // Steps are usually whole numbers (iterations, episodes): then so are the ticks.
        axes: [this.#output.steps.every(Number.isInteger) ? { label: 'step', incrs: INTEGER_TICKS } : { label: 'step' }, {}],
      },
      data,
      this.#host,
    );
  }

  destroy(): void {
    this.#resize.disconnect();
    this.#plot?.destroy();
    this.#plot = null;
  }

  #width(): number {
    return Math.max(240, Math.floor(this.element.clientWidth || 480) - 8);
  }
}

/**
 * Training results carry many values on different scales (returns, losses, step counters); when
 * some are returns, those are the curve, and the rest start hidden (click one in the legend to show it).
 */
function shownByDefault(key: string, keys: string[]): boolean {
  const returns = keys.filter((k) => /return/i.test(k));
  return returns.length === 0 || returns.includes(key);
}

function sameKeys(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}
