import type { TimelineModel } from './timeline-model.ts';

/** One event of Chrome's Trace Event Format, as Perfetto and chrome://tracing read it. */
export type TraceEvent =
  | { ph: 'X'; name: string; cat: string; ts: number; dur: number; pid: number; tid: number; args: Record<string, string> }
  | { ph: 'M'; name: 'process_name' | 'thread_name' | 'process_sort_index' | 'thread_sort_index'; pid: number; tid: number; args: Record<string, string | number> };

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
  otherData: Record<string, string>;
}

/**
 * The timeline in Chrome's Trace Event Format (JSON object form): a process per node, a thread
 * per worker, a complete ('X') event per span. Times are microseconds from the first span, so
 * the file opens at zero in Perfetto (ui.perfetto.dev) and chrome://tracing.
 */
export function toChromeTrace(model: TimelineModel, now: number): ChromeTrace {
  const extent = model.extent(now);
  const origin = extent?.start ?? now;
  const pids = new Map<string, number>();
  const events: TraceEvent[] = [];
  for (const lane of model.lanes) {
    let pid = pids.get(lane.nodeId);
    if (pid === undefined) {
      pid = pids.size + 1;
      pids.set(lane.nodeId, pid);
      events.push(
        { ph: 'M', name: 'process_name', pid, tid: 0, args: { name: `node ${lane.nodeId}` } },
        { ph: 'M', name: 'process_sort_index', pid, tid: 0, args: { sort_index: pid } },
      );
    }
    events.push(
      { ph: 'M', name: 'thread_name', pid, tid: lane.row + 1, args: { name: `worker ${lane.workerId}` } },
      { ph: 'M', name: 'thread_sort_index', pid, tid: lane.row + 1, args: { sort_index: lane.row + 1 } },
    );
  }
  for (const span of model.spans) {
    const end = Number.isNaN(span.end) ? now : span.end;
    events.push({
      ph: 'X',
      name: span.name,
      cat: span.state,
      ts: Math.round((span.start - origin) * 1000),
      dur: Math.max(1, Math.round((end - span.start) * 1000)),
      pid: pids.get(span.lane.nodeId) ?? 0,
      tid: span.lane.row + 1,
      args: { taskId: span.taskId, state: span.state, node: span.lane.nodeId, worker: span.lane.workerId },
    });
  }
  return { traceEvents: events, displayTimeUnit: 'ms', otherData: { generator: 'raybox', startedAt: new Date(origin).toISOString() } };
}
