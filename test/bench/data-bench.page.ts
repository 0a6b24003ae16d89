/**
 * The data benchmark, each figure beside a baseline measured in the same run:
 * - groupBy-mean over `rows` rows vs a hand-written single-threaded loop over the same typed arrays;
 * - mapBatches of a CPU-bound function on 2 workers vs 1;
 * - CSV parsing (`parseCsv`: d3-dsv plus type inference and the field-count check) vs d3-dsv's
 *   own `csvParse(text, autoType)`;
 * - peak block memory vs the budget while a dataset 10× the budget streams through.
 */
import { autoType, csvParse } from 'd3-dsv';
import { data, init, shutdown } from '../../src/index.ts';
import { parseCsv } from '../../src/data/csv.ts';

export interface DataBenchOptions {
  rows?: number;
  repetitions?: number;
  csvRows?: number;
  mapBlocks?: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function timed(repetitions: number, body: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const start = performance.now();
    await body();
    times.push(performance.now() - start);
  }
  return median(times);
}

async function mapBatchesMs(numWorkers: number, blocks: number, repetitions: number): Promise<number> {
  await init({ numWorkers });
  try {
    const ds = data.range(blocks * 2000, { overrideNumBlocks: blocks }).mapBatches((b: Record<string, Float64Array>) => {
      const out = new Float64Array(b.id!.length);
      for (let i = 0; i < out.length; i++) {
        let x = b.id![i]!;
        for (let k = 0; k < 2000; k++) x = Math.sin(x) + 1;
        out[i] = x;
      }
      return { v: out };
    });
    await ds.count(); // warm the workers
    return await timed(repetitions, () => ds.count());
  } finally {
    await shutdown();
  }
}

export async function runDataBench(options: DataBenchOptions = {}) {
  const rows = options.rows ?? 1_000_000;
  const repetitions = options.repetitions ?? 3;
  const csvRows = options.csvRows ?? 100_000;
  const mapBlocks = options.mapBlocks ?? 16;

  // groupBy-mean
  await init({ numWorkers: 2 });
  let groupBy;
  let streaming;
  try {
    const ds = await data
      .range(rows, { overrideNumBlocks: 20 })
      .mapBatches((b: Record<string, Float64Array>) => ({ key: b.id!.map((x) => x % 100), value: b.id!.map((x) => x * 0.5) }))
      .materialize();
    const batch = (await ds.takeBatch(rows)) as Record<string, Float64Array>;
    const keys = batch.key!;
    const values = batch.value!;
    const loopMs = await timed(repetitions, () => {
      const sums = new Float64Array(100);
      const counts = new Float64Array(100);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        sums[k] = sums[k]! + values[i]!;
        counts[k] = counts[k]! + 1;
      }
      return Array.from(sums, (s, k) => s / counts[k]!);
    });
    const datasetMs = await timed(repetitions, () => ds.groupBy('key').mean('value').takeAll());
    groupBy = { rows, datasetMs, loopMs, ratio: datasetMs / loopMs };

    // streaming within the budget
    const budget = 3_200_000;
    const saved = data.context.memoryBudgetBytes;
    data.context.memoryBudgetBytes = budget;
    try {
      const big = data.range(2_000_000, { overrideNumBlocks: 40 }).mapBatches((b: Record<string, Float64Array>) => ({ id: b.id, sq: b.id!.map((x) => x * x) }));
      for await (const _ of big.iterBatches({ batchSize: 100_000 })) void _;
      const stats = big.stats()!;
      streaming = { budgetBytes: budget, peakBytes: stats.peakBytes, bytesThrough: stats.bytesOut, peakOverBudget: stats.peakBytes / budget, throughOverBudget: stats.bytesOut / budget };
    } finally {
      data.context.memoryBudgetBytes = saved;
    }
  } finally {
    await shutdown();
  }

  // CSV parse
  const lines = ['a,b,c,label'];
  for (let i = 0; i < csvRows; i++) lines.push(`${i},${i * 0.25},${(i * 7) % 13},"name ${i % 50}"`);
  const text = lines.join('\n') + '\n';
  const libraryMs = await timed(repetitions, () => csvParse(text, autoType));
  const oursMs = await timed(repetitions, () => parseCsv(text, 'bench.csv'));
  const csv = { rows: csvRows, bytes: text.length, libraryMs, oursMs, rateVsLibrary: libraryMs / oursMs };

  // mapBatches scaling
  const oneMs = await mapBatchesMs(1, mapBlocks, repetitions);
  const twoMs = await mapBatchesMs(2, mapBlocks, repetitions);
  const mapBatches = { blocks: mapBlocks, rowsPerBlock: 2000, oneWorkerMs: oneMs, twoWorkersMs: twoMs, speedup: oneMs / twoMs };

  return { hardwareConcurrency: navigator.hardwareConcurrency, groupBy, mapBatches, csv, streaming };
}
