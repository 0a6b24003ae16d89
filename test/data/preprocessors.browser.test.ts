/** Preprocessors fitted on a dataset with real workers, against values worked out by hand. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { data, init, shutdown } from '../../src/index.ts';

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await shutdown();
});

const rows = [
  { x: 1, y: 10, colour: 'red' },
  { x: 2, y: 10, colour: 'blue' },
  { x: 3, y: 10, colour: 'red' },
];

describe('preprocessors', () => {
  it('StandardScaler: (x − mean) / population std; a constant column becomes 0; survives JSON', { timeout: 60_000 }, async () => {
    const ds = data.fromItems(rows);
    const scaler = new data.preprocessors.StandardScaler(['x', 'y']);
    const out = await (await scaler.fitTransform(ds)).takeAll();
    const s = Math.sqrt(2 / 3);
    const xs = out.map((r) => r.x as number);
    [-1 / s, 0, 1 / s].forEach((want, i) => expect(xs[i]).toBeCloseTo(want, 12));
    expect(out.map((r) => r.y)).toEqual([0, 0, 0]);
    const again = data.preprocessors.fromJSON(JSON.parse(JSON.stringify(scaler)));
    expect(await again.transform(ds).takeAll()).toEqual(out);
  });

  it('MinMaxScaler, OneHotEncoder (sorted categories) and Concatenator', { timeout: 60_000 }, async () => {
    const ds = data.fromItems(rows);
    const scaled = await (await new data.preprocessors.MinMaxScaler(['x']).fitTransform(ds)).takeAll();
    expect(scaled.map((r) => r.x)).toEqual([0, 0.5, 1]);
    const encoded = await (await new data.preprocessors.OneHotEncoder(['colour']).fitTransform(ds)).takeAll();
    expect(encoded.map((r) => r.colour)).toEqual([[0, 1], [1, 0], [0, 1]]);
    const joined = await new data.preprocessors.Concatenator({ columns: ['x', 'y'] }).transform(ds).takeAll();
    expect(joined).toEqual([
      { colour: 'red', concat_out: [1, 10] },
      { colour: 'blue', concat_out: [2, 10] },
      { colour: 'red', concat_out: [3, 10] },
    ]);
  });
});
