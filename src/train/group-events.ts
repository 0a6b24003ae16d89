import type { TrainGroupEvent, TrainWorkerState } from '../core/events.ts';
import { driver } from '../runtime/session.ts';
import type { GradientCompression } from './wire-leaves.ts';

function numeric(metrics: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1])));
}

function describeCompression(compression: GradientCompression | null): string {
  if (compression === null) return 'none';
  return compression === 'float16' ? 'float16' : `top-${compression.topK * 100}%`;
}

/**
 * The worker group of one attempt as `train` events, for the dashboard's Train view: each event
 * is the whole group (a handful of workers), so a listener keeps the latest and draws it.
 */
export class GroupEvents {
  readonly #event: TrainGroupEvent;

  constructor(run: string, groupId: string, attempt: number, compression: GradientCompression | null, workers: Array<{ nodeId: string; localRank: number }>) {
    const states: TrainWorkerState[] = workers.map(({ nodeId, localRank }, rank) => ({
      rank,
      nodeId,
      localRank,
      state: 'running',
      reports: 0,
      metrics: {},
      bytesSent: 0,
      bytesUncompressed: 0,
    }));
    this.#event = { type: 'train', time: Date.now(), run, groupId, attempt, state: 'running', compression: describeCompression(compression), workers: states };
    this.#emit();
  }

  report(rank: number, metrics: Record<string, unknown>, traffic: { sent: number; uncompressed: number }): void {
    const worker = this.#event.workers[rank];
    if (!worker) return;
    worker.reports++;
    worker.metrics = numeric(metrics);
    worker.bytesSent = traffic.sent;
    worker.bytesUncompressed = traffic.uncompressed;
    this.#emit();
  }

  workerDone(rank: number, traffic: { sent: number; uncompressed: number }): void {
    const worker = this.#event.workers[rank];
    if (!worker) return;
    worker.state = 'finished';
    worker.bytesSent = traffic.sent;
    worker.bytesUncompressed = traffic.uncompressed;
    this.#emit();
  }

  /** The attempt ended: every worker not finished failed with it. */
  end(state: 'finished' | 'failed'): void {
    this.#event.state = state;
    for (const worker of this.#event.workers) if (worker.state === 'running') worker.state = state === 'failed' ? 'failed' : 'finished';
    this.#emit();
  }

  #emit(): void {
    const events = driver().events;
    if (!events.wants('train')) return;
    const e = this.#event;
    // A copy: listeners keep events, and this one changes on.
    driver().events.emit({ ...e, time: Date.now(), workers: e.workers.map((w) => ({ ...w, metrics: { ...w.metrics } })) });
  }
}
