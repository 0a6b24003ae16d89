/**
 * The data benchmark, each figure beside a baseline measured in the same run:
 * - groupBy-mean over `rows` rows vs a hand-written single-threaded loop over the same typed arrays;
 * - mapBatches of a CPU-bound function on 2 workers vs 1;
 * - CSV parsing (`parseCsv`: d3-dsv's tokenizer straight into typed columns, with type inference
 *   and the field-count check) vs d3-dsv's own `csvParse(text, autoType)`;
 * - peak block memory vs the budget while a dataset 10× the budget streams through.
 * Figures and their baselines are measured in turn, not one after the other, so load from other
 * processes on a shared machine falls on both alike.
 */
import { autoType, csvParse } from 'd3-dsv';
import { data, init, objectStoreStats, onEvent, shutdown } from '../../src/index.ts';
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

function cpuBound(b: Record<string, Float64Array>) {
  const out = new Float64Array(b.id!.length);
  for (let i = 0; i < out.length; i++) {
    let x = b.id![i]!;
    for (let k = 0; k < 2000; k++) x = Math.sin(x) + 1;
    out[i] = x;
  }
  return { v: out };
}

/** One timed run of `blocks` CPU-bound blocks on a fresh runtime of `numWorkers` workers (their start and first compile not timed). */
async function mapBatchesOnce(numWorkers: number, blocks: number): Promise<number> {
  await init({ numWorkers });
  try {
    await data.range(numWorkers * 10, { overrideNumBlocks: numWorkers }).mapBatches(cpuBound).count(); // warm every worker
    const start = performance.now();
    await data.range(blocks * 2000, { overrideNumBlocks: blocks }).mapBatches(cpuBound).count();
    return performance.now() - start;
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
    const loop = () => {
      const sums = new Float64Array(100);
      const counts = new Float64Array(100);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        sums[k] = sums[k]! + values[i]!;
        counts[k] = counts[k]! + 1;
      }
      return Array.from(sums, (s, k) => s / counts[k]!);
    };
    // Interleaved, so that a burst of load elsewhere on the machine falls on both alike.
    const loopTimes: number[] = [];
    const datasetTimes: number[] = [];
    for (let i = 0; i < 3 * repetitions; i++) {
      loopTimes.push(await timed(1, loop));
      datasetTimes.push(await timed(1, () => ds.groupBy('key').mean('value').takeAll()));
    }
    const loopMs = median(loopTimes);
    const datasetMs = median(datasetTimes);
    groupBy = { rows, repetitions: 3 * repetitions, datasetMs, loopMs, ratio: datasetMs / loopMs };

    // streaming within the budget
    const budget = 3_200_000;
    const saved = data.context.memoryBudgetBytes;
    data.context.memoryBudgetBytes = budget;
    try {
      const big = data.range(2_000_000, { overrideNumBlocks: 40 }).mapBatches((b: Record<string, Float64Array>) => ({ id: b.id, sq: b.id!.map((x) => x * x) }));
      // The object store's own count of bytes, read each time a block lands in it.
      let storePeakBytes = 0;
      const stop = onEvent((e) => {
        if (e.type === 'object') storePeakBytes = Math.max(storePeakBytes, objectStoreStats().bytes);
      });
      try {
        for await (const _ of big.iterBatches({ batchSize: 100_000 })) void _;
      } finally {
        stop();
      }
      const stats = big.stats()!;
      streaming = { budgetBytes: budget, peakBytes: stats.peakBytes, storePeakBytes, bytesThrough: stats.bytesOut, peakOverBudget: stats.peakBytes / budget, storePeakOverBudget: storePeakBytes / budget, throughOverBudget: stats.bytesOut / budget };
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
  const libraryTimes: number[] = [];
  const oursTimes: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    libraryTimes.push(await timed(1, () => csvParse(text, autoType)));
    oursTimes.push(await timed(1, () => parseCsv(text, 'bench.csv')));
  }
  const libraryMs = median(libraryTimes);
  const oursMs = median(oursTimes);
  const csv = { rows: csvRows, bytes: text.length, libraryMs, oursMs, rateVsLibrary: libraryMs / oursMs };

  // mapBatches scaling
  // 1 and 2 workers in turn, each run on a fresh runtime, for the same reason.
  const oneTimes: number[] = [];
  const twoTimes: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    oneTimes.push(await mapBatchesOnce(1, mapBlocks));
    twoTimes.push(await mapBatchesOnce(2, mapBlocks));
  }
  const oneMs = median(oneTimes);
  const twoMs = median(twoTimes);
  const mapBatches = { blocks: mapBlocks, rowsPerBlock: 2000, oneWorkerMs: oneMs, twoWorkersMs: twoMs, speedup: oneMs / twoMs };

  return { hardwareConcurrency: navigator.hardwareConcurrency, groupBy, mapBatches, csv, streaming };
}
