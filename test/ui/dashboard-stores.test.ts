import { describe, expect, it } from 'vitest';
import type { NodeInfo, RayboxEvent, TaskEvent } from '../../src/core/events.ts';
import { ActorTable, MAX_DEAD_ACTORS } from '../../src/ui/dashboard/actor-table.ts';
import { LogStore } from '../../src/ui/dashboard/log-store.ts';
import { NodeTable } from '../../src/ui/dashboard/node-table.ts';
import { ObjectStats } from '../../src/ui/dashboard/object-stats.ts';
import { TaskCounts, taskStates } from '../../src/ui/dashboard/task-counts.ts';
import { TaskTable } from '../../src/ui/dashboard/task-table.ts';

const node: NodeInfo = { nodeId: 'n1', alive: true, isLocal: true, resources: { CPU: 2 }, backend: null, label: 'this page', numWorkers: 2 };

function task(taskId: string, state: TaskEvent['state'], time: number, extra: Partial<TaskEvent> = {}): TaskEvent {
  return { type: 'task', taskId, name: 'f', state, time, ...extra };
}

describe('TaskTable', () => {
  it('keeps one row per task, in submission order, with its latest state, place, duration and error', () => {
    const table = new TaskTable();
    table.apply(task('a', 'PENDING_ARGS', 0));
    table.apply(task('b', 'PENDING_ARGS', 1));
    table.apply(task('a', 'RUNNING', 10, { nodeId: 'n1', workerId: 'w0' }));
    table.apply(task('a', 'FAILED', 40, { nodeId: 'n1', workerId: 'w0', error: { name: 'TaskError', message: 'boom' } }));
    expect(table.length).toBe(2);
    expect(table.row(0)).toMatchObject({ taskId: 'a', state: 'FAILED', nodeId: 'n1', workerId: 'w0', error: 'TaskError: boom' });
    expect(table.duration(0, 100)).toBeCloseTo(0.03);
    expect(table.duration(1, 100)).toBeNull();
  });

  it('keeps the most recent tasks up to its cap after 100,000, and ignores late events of forgotten ones', () => {
    const table = new TaskTable(10_000);
    for (let i = 0; i < 100_000; i++) {
      table.apply(task(`t${i}`, 'PENDING_ARGS', i));
      table.apply(task(`t${i}`, 'FINISHED', i + 1));
    }
    expect([table.length, table.dropped]).toEqual([10_000, 90_000]);
    expect(table.row(0)).toMatchObject({ taskId: 't90000', state: 'FINISHED', submitted: 90_000 });
    expect(table.row(9_999)).toMatchObject({ taskId: 't99999', state: 'FINISHED' });
    expect(table.apply(task('t5', 'FAILED', 200_000))).toBe(false);
    expect(table.row(0).taskId).toBe('t90000');
  });
});

describe('TaskCounts', () => {
  it('counts exactly after 100,000 tasks, remembering only the unfinished ones beside a table of recent tasks', () => {
    const table = new TaskTable(1_000);
    const counts = new TaskCounts((taskId) => table.stateOf(taskId));
    const apply = (event: TaskEvent) => {
      counts.apply(event);
      table.apply(event);
    };
    const states: TaskEvent['state'][] = ['FINISHED', 'FAILED', 'CANCELLED'];
    for (let i = 0; i < 100_000; i++) {
      apply(task(`t${i}`, 'PENDING_ARGS', i));
      apply(task(`t${i}`, 'PENDING_NODE', i));
      if (i % 10 !== 0) apply(task(`t${i}`, 'RUNNING', i));
      // A repeated event and a late one of a recent task do not count it twice.
      apply(task(`t${i}`, 'RUNNING', i));
      apply(task(`t${i}`, states[i % 3] ?? 'FINISHED', i + 1));
      if (i % 7 === 0) apply(task(`t${i}`, states[i % 3] ?? 'FINISHED', i + 2));
    }
    // Still running: 50 submitted ones that never end.
    for (let i = 0; i < 50; i++) apply(task(`live${i}`, 'RUNNING', 0));
    expect(taskStates.map((s) => counts.count(s))).toEqual([0, 0, 50, 33_334, 33_333, 33_333]);
    expect(counts.total).toBe(100_050);
    expect(counts.remembered).toBe(50);
    expect(table.length).toBe(1_000);
  });
});

describe('NodeTable', () => {
  it('counts busy workers from task events, and marks removed nodes dead', () => {
    const nodes = new NodeTable();
    nodes.seed([node]);
    nodes.apply(task('a', 'RUNNING', 0, { nodeId: 'n1', workerId: 'w0' }));
    nodes.apply(task('b', 'RUNNING', 0, { nodeId: 'n1', workerId: 'w0' }));
    nodes.apply(task('c', 'RUNNING', 0, { nodeId: 'n1', workerId: 'w1' }));
    nodes.apply(task('c', 'FINISHED', 1, { nodeId: 'n1', workerId: 'w1' }));
    expect(nodes.rows()).toEqual([{ info: node, running: 2, busyWorkers: 1 }]);
    nodes.apply({ type: 'node', time: 2, change: 'removed', node });
    expect(nodes.rows()[0]?.info.alive).toBe(false);
  });
});

describe('ObjectStats', () => {
  it('counts objects and bytes from creation and release, ignoring releases of unseen objects', () => {
    const stats = new ObjectStats();
    const events: RayboxEvent[] = [
      { type: 'object', time: 0, change: 'created', objectId: 'o1', size: 100 },
      { type: 'object', time: 0, change: 'created', objectId: 'o2', size: 50 },
      { type: 'object', time: 0, change: 'released', objectId: 'o1', size: 100 },
      { type: 'object', time: 0, change: 'released', objectId: 'old', size: 999 },
    ];
    for (const event of events) stats.apply(event);
    expect([stats.count, stats.bytes]).toEqual([1, 50]);
  });
});

describe('ActorTable', () => {
  it('keeps the latest state of each actor and where it lives', () => {
    const actors = new ActorTable();
    actors.apply({ type: 'actor', time: 0, actorId: 'a1', className: 'Counter', state: 'PENDING' });
    actors.apply({ type: 'actor', time: 1, actorId: 'a1', className: 'Counter', state: 'ALIVE', nodeId: 'n1', workerId: 'w3' });
    actors.apply({ type: 'actor', time: 2, actorId: 'a1', className: 'Counter', state: 'DEAD', reason: 'killed' });
    expect(actors.rows()).toMatchObject([{ actorId: 'a1', state: 'DEAD', nodeId: 'n1', workerId: 'w3', reason: 'killed' }]);
    expect(actors.workerOf('a1')).toBe('w3');
  });

  it('lists every living actor and only the most recent dead ones', () => {
    const actors = new ActorTable();
    actors.apply({ type: 'actor', time: 0, actorId: 'alive', className: 'Keeper', state: 'ALIVE' });
    for (let i = 0; i < 5_000; i++) actors.apply({ type: 'actor', time: i, actorId: `d${i}`, className: 'Short', state: 'DEAD' });
    expect(actors.count()).toBe(MAX_DEAD_ACTORS + 1);
    expect(actors.dropped).toBe(5_000 - MAX_DEAD_ACTORS);
    expect(actors.count('ALIVE')).toBe(1);
    expect(actors.rows().at(-1)?.actorId).toBe('d4999');
  });
});

describe('LogStore', () => {
  it('keeps at most its caps, in all and per task, and counts what it dropped', () => {
    const logs = new LogStore({ maxLines: 1_000, maxPerTask: 10 });
    const line = (taskId: string, text: string): RayboxEvent => ({ type: 'log', time: 0, level: 'log', text, taskId, name: 'f', nodeId: 'n', workerId: 'w' });
    for (let i = 0; i < 100; i++) logs.apply(line('chatty', `c${i}`));
    expect([logs.kept, logs.dropped]).toEqual([10, 90]);
    for (let i = 0; i < 100_000; i++) logs.apply(line(`t${i}`, `l${i}`));
    expect(logs.kept).toBeLessThanOrEqual(1_100);
    expect(logs.kept + logs.dropped).toBe(100_100);
    expect(logs.line(logs.length - 1)?.text).toBe('l99999');
    // Once the chatty task's lines were trimmed away, it may log again.
    logs.apply(line('chatty', 'again'));
    expect(logs.line(logs.length - 1)?.text).toBe('again');
  });

  it('filters lines by task name or id', () => {
    const logs = new LogStore();
    const line = (taskId: string, name: string, text: string): RayboxEvent => ({ type: 'log', time: 0, level: 'log', text, taskId, name, nodeId: 'n', workerId: 'w' });
    logs.apply(line('t1', 'train', 'a'));
    logs.apply(line('t2', 'sample', 'b'));
    logs.apply(line('t3', 'train', 'c'));
    logs.setFilter('TRAIN');
    expect([logs.length, logs.line(1)?.text]).toEqual([2, 'c']);
    logs.apply(line('t4', 'train', 'd'));
    expect(logs.length).toBe(3);
    logs.setFilter('t2');
    expect(logs.line(0)?.text).toBe('b');
  });
});
