import { describe, expect, it } from 'vitest';
import type { TaskEvent, TaskState } from '../../src/core/events.ts';
import { toChromeTrace } from '../../src/ui/dashboard/chrome-trace.ts';
import { TimelineModel } from '../../src/ui/dashboard/timeline-model.ts';

function task(taskId: string, state: TaskState, time: number, workerId = 'w0', nodeId = 'n1'): TaskEvent {
  return { type: 'task', taskId, name: `f${taskId}`, state, time, nodeId, workerId };
}

describe('TimelineModel.apply', () => {
  it('opens a span at RUNNING and closes it at the end, one lane per worker per node', () => {
    const model = new TimelineModel();
    for (const event of [
      task('a', 'PENDING_ARGS', 0),
      task('a', 'RUNNING', 10, 'w1'),
      task('b', 'RUNNING', 12, 'w0'),
      task('c', 'RUNNING', 13, 'w0', 'n0'),
      task('a', 'FINISHED', 30, 'w1'),
      task('b', 'FAILED', 40, 'w0'),
    ]) {
      model.apply(event);
    }
    expect(model.spans.map((s) => [s.taskId, s.start, s.end, s.state, s.lane.row])).toEqual([
      ['a', 10, 30, 'FINISHED', 2],
      ['b', 12, 40, 'FAILED', 1],
      ['c', 13, NaN, 'RUNNING', 0],
    ]);
    expect(model.lanes.map((l) => `${l.nodeId}/${l.workerId}`)).toEqual(['n0/w0', 'n1/w0', 'n1/w1']);
    expect(model.running).toBe(true);
    expect(model.extent(100)).toEqual({ start: 10, end: 100 });
  });

  it('takes a repeated RUNNING as the same run, and a retry as a new one', () => {
    const model = new TimelineModel();
    for (const event of [task('a', 'RUNNING', 10), task('a', 'RUNNING', 10), task('a', 'RUNNING', 12), task('a', 'PENDING_NODE', 20), task('a', 'RUNNING', 25, 'w1'), task('a', 'FINISHED', 30, 'w1')]) {
      model.apply(event);
    }
    expect(model.spans.map((s) => [s.start, s.end, s.state])).toEqual([
      [12, 20, 'FAILED'],
      [25, 30, 'FINISHED'],
    ]);
  });
});

describe('TimelineModel (bounded, indexed by time)', () => {
  it('keeps its cap of spans after 100,000 tasks, the most recent ones', () => {
    const model = new TimelineModel(10_000);
    for (let i = 0; i < 100_000; i++) {
      model.apply(task(`t${i}`, 'RUNNING', i * 10, `w${i % 4}`));
      model.apply(task(`t${i}`, 'FINISHED', i * 10 + 5, `w${i % 4}`));
    }
    expect([model.size, model.dropped]).toEqual([10_000, 90_000]);
    expect(model.extent(0)).toEqual({ start: 900_000, end: 999_995 });
    expect(model.spans[0]?.taskId).toBe('t90000');
  });

  it("touches only the spans in view: a frame's cost does not grow with the history", () => {
    const model = new TimelineModel(100_000);
    // 100,000 spans of 5 ms every 10 ms on 4 workers, plus long ones and one still running.
    for (let i = 0; i < 100_000; i++) {
      model.apply(task(`t${i}`, 'RUNNING', i * 10, `w${i % 4}`));
      model.apply(task(`t${i}`, 'FINISHED', i * 10 + 5, `w${i % 4}`));
    }
    model.apply(task('long', 'RUNNING', 400_000, 'w9'));
    model.apply(task('long', 'FINISHED', 600_000, 'w9'));
    model.apply(task('open', 'RUNNING', 999_000, 'w8'));
    const seen: string[] = [];
    const touched = model.visible(500_000, 500_995, 1_000_000, (span) => seen.push(span.taskId));
    // In view: t50000..t50099 (starts 500,000..500,990) and the long span.
    expect(seen.length).toBe(101);
    expect(seen).toContain('long');
    expect(seen.filter((id) => id.startsWith('t')).sort()).toEqual(Array.from({ length: 100 }, (_, i) => `t${50_000 + i}`).sort());
    // Looked at: those, the open span, and at most a few just left of the view.
    expect(touched).toBeLessThanOrEqual(seen.length + 1 + 4);
    expect(touched).toBeGreaterThanOrEqual(seen.length + 1);
  });
});

describe('toChromeTrace', () => {
  it('writes a process per node, a thread per worker and a complete event per span, in microseconds', () => {
    const model = new TimelineModel();
    for (const event of [task('a', 'RUNNING', 1000), task('a', 'FINISHED', 1002.5), task('b', 'RUNNING', 1001, 'w1'), task('b', 'CANCELLED', 1004, 'w1')]) model.apply(event);
    const trace = toChromeTrace(model, 2000);
    expect(trace.displayTimeUnit).toBe('ms');
    expect(trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'process_name')).toEqual([{ ph: 'M', name: 'process_name', pid: 1, tid: 0, args: { name: 'node n1' } }]);
    expect(trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.args['name'])).toEqual(['worker w0', 'worker w1']);
    expect(trace.traceEvents.filter((e) => e.ph === 'X')).toEqual([
      { ph: 'X', name: 'fa', cat: 'FINISHED', ts: 0, dur: 2500, pid: 1, tid: 1, args: { taskId: 'a', state: 'FINISHED', node: 'n1', worker: 'w0' } },
      { ph: 'X', name: 'fb', cat: 'CANCELLED', ts: 1000, dur: 3000, pid: 1, tid: 2, args: { taskId: 'b', state: 'CANCELLED', node: 'n1', worker: 'w1' } },
    ]);
  });
});
