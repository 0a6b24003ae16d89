import { describe, expect, it } from 'vitest';
import { ObjectTable, type ObjectEntry } from '../../src/core/object-table.ts';
import { WorkerRefs } from '../../src/runtime/worker-refs.ts';

function setup() {
  const freed: string[] = [];
  const objects = new ObjectTable({ created: () => undefined, freed: (e: ObjectEntry) => freed.push(e.id) });
  for (const id of ['a', 'b']) {
    objects.create(id, undefined);
    objects.resolve(id, id, 1, false, undefined);
  }
  objects.addRef('a'); // the page's own ref to 'a'
  return { objects, freed, refs: new WorkerRefs(objects) };
}

const w1 = { nodeId: 'n1', workerId: 'w1' };
const w2 = { nodeId: 'n1', workerId: 'w2' };

describe('WorkerRefs', () => {
  it("gives back a dead worker's refs, freeing what only it held", () => {
    const { refs, freed } = setup();
    refs.add(w1, 'a');
    refs.add(w1, 'b');
    refs.add(w1, 'b');
    refs.drop(w1);
    expect(freed).toEqual(['b']);
  });

  it('takes back released refs once, and never more than a worker was counted for', () => {
    const { refs, freed, objects } = setup();
    refs.add(w1, 'b');
    refs.add(w2, 'b');
    refs.release(w1, [['b', 5]]); // a bad count: only its one ref goes
    expect(freed).toEqual([]);
    expect(objects.get('b')?.refs).toBe(1);
    refs.release(w1, [['b', 1], 'junk', ['b', 0.5], [7, 1]]);
    refs.drop(w1); // nothing left to give back
    expect(freed).toEqual([]);
    refs.release(w2, [['b', 1]]);
    expect(freed).toEqual(['b']);
  });
});
