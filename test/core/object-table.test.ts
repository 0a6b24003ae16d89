import { describe, expect, it } from 'vitest';
import { ObjectTable, type ObjectEntry } from '../../src/core/object-table.ts';

function table() {
  const freed: string[] = [];
  const created: string[] = [];
  const objects = new ObjectTable({ created: (e: ObjectEntry) => created.push(e.id), freed: (e: ObjectEntry) => freed.push(e.id) });
  return { objects, freed, created };
}

describe('ObjectTable', () => {
  it('settles waiters once an object is ready, and at once when it already is', () => {
    const { objects } = table();
    const entry = objects.create('t1.0', 't1');
    const calls: string[] = [];
    objects.whenSettled(entry, () => calls.push('early'));
    objects.resolve('t1.0', 42, 8, false, undefined);
    objects.whenSettled(entry, () => calls.push('late'));
    expect(calls).toEqual(['early', 'late']);
    expect(entry.value).toBe(42);
    expect(objects.stats()).toEqual({ count: 1, bytes: 8 });
  });

  it('frees an object when its last reference goes, ready or not, and ignores a late result', () => {
    const { objects, freed } = table();
    objects.create('p1', undefined);
    objects.addRef('p1', 2);
    objects.resolve('p1', 'x', 2, false, undefined);
    objects.removeRef('p1');
    expect(freed).toEqual([]);
    objects.removeRef('p1');
    expect(freed).toEqual(['p1']);
    expect(objects.stats()).toEqual({ count: 0, bytes: 0 });

    objects.create('t2.0', 't2');
    objects.addRef('t2.0');
    objects.removeRef('t2.0');
    expect(objects.resolve('t2.0', 'too late', 8, false, undefined)).toBe(false);
  });

  it('records where a peer holds a value, and takes it back to pending to rebuild it', () => {
    const { objects } = table();
    const entry = objects.create('t3.0', 't3');
    objects.resolveRemote('t3.0', 'peer1', 1 << 20, false, undefined);
    expect(entry.state).toBe('ready');
    expect(entry.location).toBe('peer1');
    objects.reset('t3.0');
    expect(entry.state).toBe('pending');
    expect(entry.location).toBeUndefined();
    objects.fail('t3.0', new Error('gone'));
    expect(entry.state).toBe('failed');
  });
});
