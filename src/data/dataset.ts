import { RayboxUsageError } from '../core/errors.ts';
import { aggregateColumn, groupIndices, repartitionBlocks, shuffleBlocks, sortBlocks, zipBlocks, splitEven, type Aggregation } from './all-to-all.ts';
import { blockBytes, blockFromBatch, blockSchema, blockToColumns, blockToRows, concatBlocks, requireColumn, sliceBlock, takeIndices, type Block, type Column, type Row } from './block.ts';
import { formatCsv, formatJsonLines } from './csv.ts';
import { formatParquet } from './parquet.ts';
import { BatchFormatError, DataError } from './errors.ts';
import { groupAggregate } from './group-by.ts';
import { Execution, type ExecutionStats } from './executor.ts';
import { dataContext } from './memory-budget.ts';
import { writeOpfsDirectory } from './opfs.ts';
import type { MapOp, Plan } from './plan.ts';
import { checkBatchFormat, type BatchFormat, type Stage } from './stages.ts';
import { asBatch, batchesOf, type Batch, type IterBatchesOptions } from './batches.ts';
import { blockToArrow } from './arrow.ts';
import { DataIterator, streamingSplit } from './split.ts';

export interface MapBatchesOptions {
  batchSize?: number | null;
  batchFormat?: BatchFormat;
  /** Actors of the pool when a class is given. @default 1 */
  concurrency?: number;
  numCpus?: number;
  numGpus?: number;
  /** Arguments of the class's constructor (Ray's fn_constructor_args), or extra arguments of the function. */
  fnConstructorArgs?: unknown[];
}

export type { IterBatchesOptions };

type AnyFn = (...args: never[]) => unknown;

function functionSource(fn: unknown, call: string): string {
  if (typeof fn !== 'function') throw new RayboxUsageError(`${call} takes a function.`);
  return fn.toString();
}

function isClass(fn: unknown): boolean {
  return typeof fn === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(fn));
}

/**
 * A dataset: a lazy plan of operators. Transformations return new datasets at once; consuming
 * calls (`take`, `count`, `iterBatches`, writes …) execute the plan with the streaming executor.
 * Rows are plain objects; batches are columns (name → typed array or array) or rows.
 */
export class Dataset {
  /** @internal */
  readonly plan: Plan;
  #lastStats: ExecutionStats | undefined;

  /** @internal use `data.range`, `data.fromItems`, `data.readCsv` … */
  constructor(plan: Plan) {
    this.plan = plan;
  }

  #with(op: MapOp): Dataset {
    return new Dataset({ source: this.plan.source, ops: [...this.plan.ops, op] });
  }

  #stage(stage: Stage, label: string): Dataset {
    return this.#with({ stage, numCpus: 1, numGpus: 0, label });
  }

  /** One row in, one row (an object) out. */
  map(fn: (row: Row) => Row | Promise<Row>): Dataset {
    return this.#stage({ kind: 'map', source: functionSource(fn, 'map') }, 'map');
  }

  /** One row in, any number of rows out. */
  flatMap(fn: (row: Row) => Row[] | Promise<Row[]>): Dataset {
    return this.#stage({ kind: 'flatMap', source: functionSource(fn, 'flatMap') }, 'flatMap');
  }

  filter(fn: (row: Row) => unknown): Dataset {
    return this.#stage({ kind: 'filter', source: functionSource(fn, 'filter') }, 'filter');
  }

  /**
   * A function of a batch, or a class whose `call(batch)` runs on a pool of `concurrency` actors
   * (each constructed once, with `fnConstructorArgs`).
   */
  mapBatches(fnOrClass: AnyFn | (new (...args: never[]) => { call(batch: never): unknown }), options: MapBatchesOptions = {}): Dataset {
    const batchFormat = checkBatchFormat(options.batchFormat ?? 'columns', 'mapBatches');
    const batchSize = options.batchSize ?? null;
    if (batchSize !== null && !(Number.isInteger(batchSize) && batchSize > 0)) throw new RayboxUsageError(`mapBatches: batchSize is a positive integer or null, not ${String(batchSize)}.`);
    const numCpus = options.numCpus ?? 1;
    const numGpus = options.numGpus ?? 0;
    const args = options.fnConstructorArgs ?? [];
    if (isClass(fnOrClass)) {
      const concurrency = options.concurrency ?? 1;
      if (!(Number.isInteger(concurrency) && concurrency > 0)) throw new RayboxUsageError(`mapBatches: concurrency is a positive integer, not ${String(concurrency)}.`);
      return this.#with({ stage: { kind: 'actor', batchSize, batchFormat }, numCpus, numGpus, label: `mapBatches(${(fnOrClass as { name: string }).name})`, pool: { classSource: functionSource(fnOrClass, 'mapBatches'), args, concurrency } });
    }
    return this.#with({ stage: { kind: 'mapBatches', source: functionSource(fnOrClass, 'mapBatches'), batchSize, batchFormat, args }, numCpus, numGpus, label: 'mapBatches' });
  }

  /** A new column computed from each batch (columns format): `fn(batch)` returns one value per row. */
  addColumn(name: string, fn: (batch: Record<string, Column>) => unknown): Dataset {
    return this.#stage({ kind: 'addColumn', name, source: functionSource(fn, 'addColumn') }, `addColumn(${name})`);
  }

  dropColumns(names: string[]): Dataset {
    return this.#stage({ kind: 'dropColumns', names: [...names] }, 'dropColumns');
  }

  selectColumns(names: string[]): Dataset {
    return this.#stage({ kind: 'selectColumns', names: [...names] }, 'selectColumns');
  }

  renameColumns(mapping: Record<string, string>): Dataset {
    return this.#stage({ kind: 'renameColumns', mapping: { ...mapping } }, 'renameColumns');
  }

  #all(label: string, op: (blocks: Block[][]) => Block[], others: Dataset[] = []): Dataset {
    return new Dataset({ source: { kind: 'all', label, upstream: [this.plan, ...others.map((d) => d.plan)], op }, ops: [] });
  }

  /** Sorted by one or more columns (stable); materialises. */
  sort(key: string | string[], options: { descending?: boolean } = {}): Dataset {
    const keys = Array.isArray(key) ? key : [key];
    return this.#all('sort', ([blocks]) => sortBlocks(blocks ?? [], keys, options.descending ?? false));
  }

  randomShuffle(options: { seed?: number } = {}): Dataset {
    return this.#all('randomShuffle', ([blocks]) => shuffleBlocks(blocks ?? [], options.seed));
  }

  repartition(numBlocks: number): Dataset {
    if (!(Number.isInteger(numBlocks) && numBlocks > 0)) throw new RayboxUsageError(`repartition: numBlocks is a positive integer, not ${String(numBlocks)}.`);
    return this.#all('repartition', ([blocks]) => repartitionBlocks(blocks ?? [], numBlocks));
  }

  /** This dataset's rows, then each other's. */
  union(...others: Dataset[]): Dataset {
    return new Dataset({ source: { kind: 'union', label: 'union', plans: [this.plan, ...others.map((d) => d.plan)] }, ops: [] });
  }

  /** Columns of both side by side, row by row; both must have the same number of rows. */
  zip(other: Dataset): Dataset {
    return this.#all('zip', ([left, right]) => {
      const a = (left ?? []).reduce((s, b) => s + b.numRows, 0);
      const b = (right ?? []).reduce((s, x) => s + x.numRows, 0);
      if (a !== b) throw new DataError(`zip: the datasets have ${a} and ${b} rows; zip needs equally many.`);
      return zipBlocks(left ?? [], right ?? []);
    }, [other]);
  }

  /** The first `n` rows; upstream work stops once they are there. */
  limit(n: number): Dataset {
    return new Dataset({ source: { kind: 'limit', label: 'limit', upstream: this.plan, n }, ops: [] });
  }

  groupBy(key: string): GroupedData {
    return new GroupedData(this, key);
  }

  /** Executes the plan, block by block. */
  async *iterBlocks(): AsyncGenerator<Block> {
    const execution = new Execution(dataContext.memoryBudgetBytes, this.toString());
    this.#lastStats = execution.stats;
    yield* execution.run(this.plan);
  }

  async #blocks(): Promise<Block[]> {
    const out: Block[] = [];
    for await (const block of this.iterBlocks()) out.push(block);
    return out;
  }

  async take(n = 20): Promise<Row[]> {
    const rows: Row[] = [];
    for await (const block of this.limit(n).iterBlocks()) rows.push(...blockToRows(block));
    return rows;
  }

  async takeAll(): Promise<Row[]> {
    return (await this.#blocks()).flatMap(blockToRows);
  }

  async takeBatch(n = 20, options: { batchFormat?: BatchFormat } = {}): Promise<Batch> {
    const format = checkBatchFormat(options.batchFormat ?? 'columns', 'takeBatch');
    return asBatch(concatBlocks(await this.limit(n).#blocks()), format);
  }

  /** Every row as one Arrow table (a Flechette `Table`; its package's `tableToIPC` gives IPC bytes). */
  async toArrow(): Promise<Awaited<ReturnType<typeof blockToArrow>>> {
    return blockToArrow(concatBlocks(await this.#blocks()));
  }

  /** Prints the first `n` rows. */
  async show(n = 20): Promise<void> {
    for (const row of await this.take(n)) console.log(JSON.stringify(row));
  }

  async count(): Promise<number> {
    let n = 0;
    for await (const block of this.iterBlocks()) n += block.numRows;
    return n;
  }

  /** Column name → type (`number`, `string`, …), from the first block that has rows. */
  async schema(): Promise<Record<string, string>> {
    for await (const block of this.iterBlocks()) if (block.numRows > 0) return blockSchema(block);
    return {};
  }

  async columns(): Promise<string[]> {
    return Object.keys(await this.schema());
  }

  async numBlocks(): Promise<number> {
    return (await this.#blocks()).length;
  }

  async *iterRows(): AsyncGenerator<Row> {
    for await (const block of this.iterBlocks()) yield* blockToRows(block);
  }

  /** Batches of `batchSize` rows (default 256) across block boundaries, as Ray's `iter_batches`. */
  async *iterBatches(options: IterBatchesOptions = {}): AsyncGenerator<Batch> {
    const format = checkBatchFormat(options.batchFormat ?? 'columns', 'iterBatches');
    yield* batchesOf(this.iterBlocks(), options.batchSize ?? 256, format, options);
  }

  /** Executes once and keeps the blocks: later calls on the result do not run the plan again. */
  async materialize(): Promise<Dataset> {
    const blocks = await this.#blocks();
    return fromBlocks(blocks, 'materialized');
  }

  /** `n` materialised datasets of near-equal rows. */
  async split(n: number): Promise<Dataset[]> {
    const all = concatBlocks(await this.#blocks());
    return splitEven(all, n).map((b) => fromBlocks([b], 'split'));
  }

  /**
   * `n` iterators over one streaming execution: each block goes to whichever iterator asks next,
   * so every row reaches exactly one of them, as Ray's `streaming_split`.
   */
  streamingSplit(n: number): DataIterator[] {
    if (!(Number.isInteger(n) && n > 0)) throw new RayboxUsageError(`streamingSplit(n): n is a positive integer, not ${String(n)}.`);
    return streamingSplit(this.iterBlocks(), n);
  }

  async trainTestSplit(options: { testSize: number; shuffle?: boolean; seed?: number }): Promise<[Dataset, Dataset]> {
    const ds = options.shuffle ? this.randomShuffle({ seed: options.seed }) : this;
    const all = concatBlocks(await ds.#blocks());
    const testRows = options.testSize < 1 ? Math.ceil(all.numRows * options.testSize) : options.testSize;
    const cut = all.numRows - testRows;
    return [fromBlocks([sliceBlock(all, 0, cut)], 'train'), fromBlocks([sliceBlock(all, cut, all.numRows)], 'test')];
  }

  async #aggregate(column: string, kind: Aggregation['kind']): Promise<unknown> {
    const all = concatBlocks(await this.#blocks());
    if (all.numRows === 0) return null;
    return aggregateColumn(requireColumn(all, column, kind), null, all.numRows, kind);
  }

  sum(column: string): Promise<number> {
    return this.#aggregate(column, 'sum') as Promise<number>;
  }
  min(column: string): Promise<unknown> {
    return this.#aggregate(column, 'min');
  }
  max(column: string): Promise<unknown> {
    return this.#aggregate(column, 'max');
  }
  mean(column: string): Promise<number> {
    return this.#aggregate(column, 'mean') as Promise<number>;
  }
  /** Sample standard deviation (ddof = 1), as Ray. */
  std(column: string): Promise<number> {
    return this.#aggregate(column, 'std') as Promise<number>;
  }

  /** The distinct values of a column, sorted. */
  async unique(column: string): Promise<unknown[]> {
    const out = await this.groupBy(column).count().takeAll();
    return out.map((r) => r[column]);
  }

  /** Counters of the last execution: blocks, rows, bytes, tasks, peak block memory against the budget. */
  stats(): ExecutionStats | undefined {
    return this.#lastStats ? { ...this.#lastStats } : undefined;
  }

  /** One CSV file per block in a new OPFS directory (`'opfs:/dir'`); nothing stays if a write fails. */
  writeCsv(dest: string): Promise<string[]> {
    return this.#write(dest, 'csv', formatCsv);
  }

  /** One JSON Lines file per block. */
  writeJson(dest: string): Promise<string[]> {
    return this.#write(dest, 'json', formatJsonLines);
  }

  /** One Parquet file per block. */
  writeParquet(dest: string): Promise<string[]> {
    return this.#write(dest, 'parquet', formatParquet);
  }

  async #write(dest: string, extension: string, format: (b: Block) => string | ArrayBuffer): Promise<string[]> {
    if (typeof dest !== 'string' || !dest.startsWith('opfs:')) throw new RayboxUsageError(`write: the destination is an 'opfs:/dir' path, not ${JSON.stringify(dest)}.`);
    const blocks = this.iterBlocks();
    async function* files(): AsyncGenerator<{ name: string; text: string | ArrayBuffer }> {
      let i = 0;
      for await (const block of blocks) {
        if (block.numRows === 0) continue;
        yield { name: `${String(i++).padStart(6, '0')}.${extension}`, text: format(block) };
      }
    }
    return writeOpfsDirectory(dest, files());
  }

  toString(): string {
    return `Dataset(${this.plan.source.label}${this.plan.ops.map((o) => ` -> ${o.label}`).join('')})`;
  }
}

/** A dataset whose blocks are already here. */
export function fromBlocks(blocks: Block[], label: string): Dataset {
  return new Dataset({ source: { kind: 'inputs', label, inputs: async () => blocks.map((block) => ({ kind: 'block' as const, block })) }, ops: [] });
}

/** `ds.groupBy(key)`: aggregations per group, groups sorted by key. */
export class GroupedData {
  readonly #ds: Dataset;
  readonly #key: string;

  constructor(ds: Dataset, key: string) {
    this.#ds = ds;
    this.#key = key;
  }

  /** Any of `{ count: true }`-style specs: `aggregate({ kind: 'mean', column: 'x' }, …)`. */
  aggregate(...aggs: { kind: Aggregation['kind']; column?: string; name?: string }[]): Dataset {
    const key = this.#key;
    const specs: Aggregation[] = aggs.map((a) => ({ kind: a.kind, column: a.column, name: a.name ?? (a.kind === 'count' ? 'count()' : `${a.kind}(${a.column})`) }));
    return new Dataset({ source: { kind: 'all', label: `groupBy(${key})`, upstream: [this.#ds.plan], op: ([blocks]) => groupAggregate(blocks ?? [], key, specs) }, ops: [] });
  }

  count(): Dataset {
    return this.aggregate({ kind: 'count' });
  }
  sum(column: string): Dataset {
    return this.aggregate({ kind: 'sum', column });
  }
  min(column: string): Dataset {
    return this.aggregate({ kind: 'min', column });
  }
  max(column: string): Dataset {
    return this.aggregate({ kind: 'max', column });
  }
  mean(column: string): Dataset {
    return this.aggregate({ kind: 'mean', column });
  }
  std(column: string): Dataset {
    return this.aggregate({ kind: 'std', column });
  }

  /** `fn(group)` gets each group as a batch and returns a batch; runs in the page after the shuffle. */
  mapGroups(fn: (batch: Record<string, Column> | Row[]) => unknown, options: { batchFormat?: BatchFormat } = {}): Dataset {
    const key = this.#key;
    const format = checkBatchFormat(options.batchFormat ?? 'columns', 'mapGroups');
    if (format === 'arrow') throw new BatchFormatError("mapGroups: batchFormat 'arrow' is not offered here; use 'columns' or 'rows'.");
    return new Dataset({
      source: {
        kind: 'all',
        label: `groupBy(${key}).mapGroups`,
        upstream: [this.#ds.plan],
        op: ([blocks]) => {
          const all = concatBlocks(blocks ?? []);
          if (all.numRows === 0) return [];
          const { groups } = groupIndices(all, key);
          return groups.map((g) => {
            const part = takeIndices(all, g);
            return blockFromBatch(fn(format === 'rows' ? blockToRows(part) : blockToColumns(part)), 'mapGroups');
          });
        },
      },
      ops: [],
    });
  }
}

export { blockBytes };
