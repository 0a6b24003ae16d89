import { describe, expect, it } from 'vitest';
import type { RayboxEvent } from '../../src/core/events.ts';
import { CellRun } from '../../src/notebook/cell-run.ts';
import { Kernel, MAX_CHART_POINTS, type KernelRuntime } from '../../src/notebook/kernel.ts';
import { LoopGuard } from '../../src/notebook/loop-guard.ts';

/**
 * A runtime whose submissions and events the test makes by hand. Like the real one, it tags each
 * submission with the context current then, and cancels in a context only its unfinished tasks.
 */
class FakeRuntime implements KernelRuntime {
  listeners = new Set<(events: readonly RayboxEvent[]) => void>();
  cancelled: string[] = [];
  context: string | null = null;
  #contexts = new Map<string, string | undefined>();
  #finished = new Set<string>();
  #cancelledContexts = new Set<string>();
  onEventBatch(listener: (events: readonly RayboxEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  setSubmissionContext(context: string | null): void {
    this.context = context;
  }
  cancelContext(context: string): string[] {
    this.#cancelledContexts.add(context);
    const ids = [...this.#contexts].filter(([id, c]) => c === context && !this.#finished.has(id)).map(([id]) => id);
    for (const id of ids) this.#cancel(id);
    return ids;
  }
  contextOf(taskId: string): string | undefined {
    return this.#contexts.get(taskId);
  }
  /** A task submitted from the page now. */
  submit(taskId: string): void {
    const context = this.context ?? undefined;
    this.#contexts.set(taskId, context);
    if (context !== undefined && this.#cancelledContexts.has(context)) this.#cancel(taskId);
  }
  finish(taskId: string): void {
    this.#finished.add(taskId);
  }
  emit(event: RayboxEvent): void {
    for (const listener of this.listeners) listener([event]);
  }
  #cancel(taskId: string): void {
    this.cancelled.push(taskId);
    this.#finished.add(taskId);
  }
}

let count = 0;
async function run(kernel: Kernel, source: string, language: 'javascript' | 'typescript' = 'javascript'): Promise<CellRun> {
  const cellRun = new CellRun('c', ++count);
  await kernel.execute(cellRun, source, language);
  return cellRun;
}

describe('Kernel.execute', () => {
  it('shares top-level names with the cells run after it, live', async () => {
    const kernel = new Kernel({ runtime: new FakeRuntime() });
    await run(kernel, 'let count = 1;\nfunction bump() { count += 1; return count; }');
    const second = await run(kernel, 'bump(); bump()');
    expect(second.outputs).toEqual([{ type: 'result', value: 3 }]);
    const third = await run(kernel, 'count');
    expect(third.outputs).toEqual([{ type: 'result', value: 3 }]);
  });

  it('awaits at the top level and returns the last expression', async () => {
    const kernel = new Kernel({ runtime: new FakeRuntime() });
    const result = await run(kernel, 'const v: number = await Promise.resolve(20);\nv * 2', 'typescript');
    expect(result.outputs).toEqual([{ type: 'result', value: 40 }]);
    expect(result.status).toBe('done');
  });

  it('lets a cell declare a name again, as rerunning a cell does', async () => {
    const kernel = new Kernel({ runtime: new FakeRuntime() });
    await run(kernel, 'const x = 1');
    const again = await run(kernel, 'const x = 2; x');
    expect(again.outputs).toEqual([{ type: 'result', value: 2 }]);
  });

  it('captures console output and display()', async () => {
    const kernel = new Kernel({ runtime: new FakeRuntime() });
    const result = await run(kernel, "console.log('hi', 1); const h = display({ a: 1 }); h.update(2);");
    expect(result.outputs).toEqual([
      { type: 'log', level: 'log', args: ['hi', 1] },
      { type: 'display', value: 2 },
    ]);
  });

  it('reports a thrown error with its cell line', async () => {
    const kernel = new Kernel({ runtime: new FakeRuntime() });
    const result = await run(kernel, 'const a = 1;\nthrow new RangeError("bad")');
    expect(result.status).toBe('failed');
    const output = result.outputs[0];
    expect(output?.type).toBe('error');
    if (output?.type !== 'error') return;
    expect((output.error as Error).message).toBe('bad');
    expect(output.line).toBe(2);
  });

  it('runs nothing when the cell has a syntax error', async () => {
    const kernel = new Kernel({ runtime: new FakeRuntime() });
    const result = await run(kernel, 'globalThis.ran = true;\nconst = 4');
    expect(result.outputs[0]).toMatchObject({ type: 'syntax-error', line: 2 });
    expect((globalThis as { ran?: boolean }).ran).toBeUndefined();
  });

  it('routes the logs of the cell tasks to the cell and cancels them on interrupt', async () => {
    const runtime = new FakeRuntime();
    const kernel = new Kernel({ runtime, globals: { runtime } });
    const cellRun = new CellRun('c', 1);
    const done = kernel.execute(
      cellRun,
      "runtime.submit('t1');\n" +
        "runtime.emit({ type: 'log', time: 0, level: 'log', text: 'from task', taskId: 't1', name: 'slow', nodeId: 'n', workerId: 'w' });\n" +
        'await new Promise(() => {});',
      'javascript',
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(kernel.interrupt()).toBe(true);
    expect(await done).toBe('interrupted');
    expect(runtime.cancelled).toEqual(['t1']);
    expect(cellRun.outputs).toEqual([
      { type: 'log', level: 'log', args: ['from task'], task: { id: 't1', name: 'slow', nodeId: 'n', workerId: 'w' } },
      { type: 'interrupted', cancelledTasks: 1 },
    ]);
  });

  it("cancels on interrupt exactly the running cell's unfinished tasks, and what its code submits afterwards", async () => {
    const runtime = new FakeRuntime();
    const kernel = new Kernel({ runtime, globals: { runtime } });
    // An earlier cell's task still runs; another of it finished.
    await run(kernel, "runtime.submit('earlier'); runtime.submit('earlier-done'); runtime.finish('earlier-done');");
    expect(runtime.context).toBeNull();
    const cellRun = new CellRun('c', 2);
    const done = kernel.execute(
      cellRun,
      "runtime.submit('a'); runtime.submit('b'); runtime.finish('b');\n" +
        "await new Promise((resolve) => setTimeout(resolve, 20));\n" +
        // Code that goes on after "Interrupt" (the awaited promise was abandoned, not the timer).
        "runtime.submit('late');\n" +
        'await new Promise(() => {});',
      'javascript',
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(kernel.interrupt()).toBe(true);
    expect(await done).toBe('interrupted');
    expect(runtime.cancelled).toEqual(['a']);
    expect(cellRun.outputs).toEqual([{ type: 'interrupted', cancelledTasks: 1 }]);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(runtime.cancelled).toEqual(['a', 'late']);
    // The next cell starts clean: its tasks are not cancelled.
    await run(kernel, "runtime.submit('next');");
    expect(runtime.cancelled).toEqual(['a', 'late']);
  });

  it('keeps a chart fed forever bounded, its latest point included', async () => {
    const runtime = new FakeRuntime();
    const kernel = new Kernel({ runtime, globals: { runtime } });
    const cellRun = await run(kernel, "for (let i = 1; i <= 3 * 5_000; i++) runtime.emit({ type: 'metric', time: 0, source: 'long', step: i, values: { reward: i } });");
    const chart = cellRun.outputs[0];
    if (chart?.type !== 'chart') throw new Error('no chart');
    expect(chart.steps.length).toBeLessThanOrEqual(MAX_CHART_POINTS);
    expect(chart.steps.length).toBeGreaterThan(MAX_CHART_POINTS / 4);
    expect(chart.steps.at(-1)).toBe(15_000);
    expect(chart.series.get('reward')).toEqual(chart.steps);
  });

  it('draws each metric source reported during a cell as a live chart in it', async () => {
    const runtime = new FakeRuntime();
    const kernel = new Kernel({ runtime, globals: { runtime } });
    const cellRun = await run(
      kernel,
      "for (let i = 1; i <= 3; i++) runtime.emit({ type: 'metric', time: 0, source: 'PPO', step: i, values: { reward: i * 10 } });",
    );
    expect(cellRun.outputs).toHaveLength(1);
    const chart = cellRun.outputs[0];
    expect(chart?.type).toBe('chart');
    if (chart?.type !== 'chart') return;
    expect(chart.steps).toEqual([1, 2, 3]);
    expect(chart.series.get('reward')).toEqual([10, 20, 30]);
    // Later points of the same source keep coming to that chart after the cell returned.
    runtime.emit({ type: 'metric', time: 0, source: 'PPO', step: 4, values: { reward: 40 } });
    expect(chart.steps).toEqual([1, 2, 3, 4]);
  });
});

describe('Kernel loop guards', () => {
  it('stops a loop that never pauses once the heartbeat has been silent past the budget', async () => {
    let clock = 0;
    // The clock moves only inside the loop: the heartbeat (which would read it) never gets to run.
    const guard = new LoopGuard({ budgetMs: 1000, now: () => (clock += 1) });
    const kernel = new Kernel({ runtime: new FakeRuntime(), loopGuard: guard });
    const result = await run(kernel, 'let turns = 0;\nwhile (true) { turns++; }');
    expect(result.status).toBe('interrupted');
    expect(result.outputs[0]).toMatchObject({ type: 'error', error: { name: 'LoopStoppedError' } });
    const next = await run(kernel, 'turns > 0');
    expect(next.outputs).toEqual([{ type: 'result', value: true }]);
  });

  it('stops an awaiting loop on Interrupt, even when it ignores the interrupt', async () => {
    const kernel = new Kernel({ runtime: new FakeRuntime() });
    const cellRun = new CellRun('c', ++count);
    const running = kernel.execute(cellRun, 'let laps = 0;\nfor (;;) { laps++; await new Promise((r) => setTimeout(r, 1)); }', 'typescript');
    await new Promise((r) => setTimeout(r, 20));
    kernel.interrupt();
    expect(await running).toBe('interrupted');
    const laps = kernel.scope['laps'];
    await new Promise((r) => setTimeout(r, 30));
    // The loop threw at its next turn: it counts no more.
    expect(kernel.scope['laps']).toBe(laps);
  });

  it('loads an on-demand name the first time a cell mentions it', async () => {
    let loads = 0;
    const kernel = new Kernel({ runtime: new FakeRuntime(), onDemand: { tf: () => Promise.resolve({ answer: ++loads * 42 }) } });
    expect((await run(kernel, 'const stuff = 1; stuff')).outputs).toEqual([{ type: 'result', value: 1 }]);
    expect(loads).toBe(0);
    expect((await run(kernel, 'tf.answer')).outputs).toEqual([{ type: 'result', value: 42 }]);
    expect((await run(kernel, 'tf.answer')).outputs).toEqual([{ type: 'result', value: 42 }]);
    expect(loads).toBe(1);
  });
});
