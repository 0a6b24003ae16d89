import { describe, expect, it, vi } from 'vitest';
import { EventBus, type RayboxEvent } from '../../src/core/events.ts';

const task = (taskId: string): RayboxEvent => ({ type: 'task', time: 0, taskId, name: 'f', state: 'FINISHED' });
const log = (text: string): RayboxEvent => ({ type: 'log', time: 0, level: 'log', text, taskId: 't', name: 'f', nodeId: 'n', workerId: 'w' });

describe('EventBus', () => {
  it('is inactive, and keeps nothing, while nobody listens', () => {
    const bus = new EventBus();
    expect(bus.active).toBe(false);
    const stop = bus.subscribeBatch(() => {});
    expect(bus.active).toBe(true);
    stop();
    expect(bus.active).toBe(false);
  });

  it('hands each event to onEvent listeners at once, and the events of a turn to batch listeners in one call', async () => {
    const bus = new EventBus();
    const single: string[] = [];
    const batches: string[][] = [];
    bus.subscribe((e) => single.push(e.type === 'task' ? e.taskId : ''));
    bus.subscribeBatch((events) => batches.push(events.map((e) => (e.type === 'task' ? e.taskId : ''))));
    bus.emit(task('a'));
    bus.emit(task('b'));
    expect(single).toEqual(['a', 'b']);
    expect(batches).toEqual([]);
    await Promise.resolve();
    expect(batches).toEqual([['a', 'b']]);
    bus.emit(task('c'));
    await Promise.resolve();
    expect(batches).toEqual([['a', 'b'], ['c']]);
  });

  it('gives a batch listener only the types it asked for, and none of a batch without them', async () => {
    const bus = new EventBus();
    const logs: RayboxEvent[][] = [];
    bus.subscribeBatch((events) => logs.push([...events]), { types: ['log'] });
    for (let i = 0; i < 1000; i++) bus.emit(task(`t${i}`));
    await Promise.resolve();
    expect(logs).toEqual([]);
    bus.emit(task('x'));
    bus.emit(log('hello'));
    bus.flush();
    expect(logs).toEqual([[log('hello')]]);
  });

  it('wants a type only while some listener wants it, and drops events nobody wants', async () => {
    const bus = new EventBus();
    expect(bus.wants('task')).toBe(false);
    const logs: string[] = [];
    const stopLogs = bus.subscribeBatch((events) => logs.push(...events.map((e) => e.type)), { types: ['log'] });
    expect([bus.wants('log'), bus.wants('task'), bus.wants('object')]).toEqual([true, false, false]);
    const all: string[] = [];
    const stopAll = bus.subscribe((e) => all.push(e.type));
    expect(bus.wants('object')).toBe(true);
    stopAll();
    expect(bus.wants('object')).toBe(false);
    bus.emit(task('dropped'));
    bus.emit(log('kept'));
    await Promise.resolve();
    expect(logs).toEqual(['log']);
    expect(all).toEqual([]);
    stopLogs();
    expect(bus.wants('log')).toBe(false);
  });

  it('hands a listener whose types cover every wanted type the whole batch, and filters for one that wants less', async () => {
    const bus = new EventBus();
    const wide: string[][] = [];
    const narrow: string[][] = [];
    bus.subscribeBatch((events) => wide.push(events.map((e) => e.type)), { types: ['task', 'log'] });
    bus.subscribeBatch((events) => narrow.push(events.map((e) => e.type)), { types: ['log'] });
    bus.emit(task('a'));
    bus.emit(log('b'));
    bus.emit({ type: 'object', time: 0, change: 'created', objectId: 'o', size: 1 });
    await Promise.resolve();
    expect(wide).toEqual([['task', 'log']]);
    expect(narrow).toEqual([['log']]);
  });

  it('keeps delivering when a listener throws', async () => {
    const bus = new EventBus();
    const got: number[] = [];
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      bus.subscribeBatch(() => {
        throw new Error('broken listener');
      });
      bus.subscribeBatch((events) => got.push(events.length));
      bus.emit(task('a'));
      bus.flush();
    } finally {
      quiet.mockRestore();
    }
    expect(got).toEqual([1]);
  });
});
