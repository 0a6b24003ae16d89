import { blockFromBatch, blockFromRows, blockToColumns, blockToRows, concatBlocks, requireColumn, sliceBlock, type Block, type Column, type Row } from './block.ts';
import { BatchFormatError, BatchShapeError, DataError } from './errors.ts';
import { readBlock, type ReadSpec } from './read-block.ts';
import { isArrowTable, tableToBlock } from './arrow.ts';
import { asBatch } from './batches.ts';

/**
 * One step of a fused map stage as it travels to a worker. Functions travel as source text (like
 * remote functions, they see only their arguments and the worker's globals) and are compiled once
 * per worker.
 */
export type Stage =
  | { kind: 'map' | 'filter' | 'flatMap'; source: string }
  | { kind: 'mapBatches'; source: string; batchSize: number | null; batchFormat: BatchFormat; args: unknown[] }
  /** Column edits: `addColumn(name, fn(columns) → column)`, drop, select, rename. */
  | { kind: 'addColumn'; name: string; source: string }
  | { kind: 'dropColumns' | 'selectColumns'; names: string[] }
  | { kind: 'renameColumns'; mapping: Record<string, string> }
  /** The actor pool's own instance: its `call(batch)` runs here. */
  | { kind: 'actor'; batchSize: number | null; batchFormat: BatchFormat };

export type BatchFormat = 'rows' | 'columns' | 'arrow';
export const batchFormats: readonly string[] = ['rows', 'columns', 'arrow'];

/** Where a block comes from: produced by the task itself, or handed to it. */
export type BlockInput = { kind: 'block'; block: Block } | { kind: 'range'; start: number; end: number } | ReadSpec;

export function checkBatchFormat(format: unknown, call: string): BatchFormat {
  if (typeof format !== 'string' || !batchFormats.includes(format)) {
    throw new BatchFormatError(`${call}: unknown batchFormat ${JSON.stringify(format)}; use 'columns' (name → typed array), 'rows' or 'arrow'.`);
  }
  return format as BatchFormat;
}

const compiled = new Map<string, unknown>();

/** A function or class from its source text, compiled once per realm. */
export function compile(source: string): unknown {
  let value = compiled.get(source);
  if (value === undefined) {
    try {
      value = new Function(`return (${source});`)();
    } catch (cause) {
      throw new DataError(`Could not compile a data function from its source (${String(cause)}). Pass an arrow function, a function expression or a class, not a method shorthand.`);
    }
    compiled.set(source, value);
  }
  return value;
}

/** The block a task starts from. */
export async function produceBlock(input: BlockInput): Promise<Block> {
  if (input.kind === 'block') return input.block;
  if (input.kind === 'range') {
    const ids = new Float64Array(input.end - input.start);
    for (let i = 0; i < ids.length; i++) ids[i] = input.start + i;
    return { numRows: ids.length, columns: { id: ids } };
  }
  return readBlock(input);
}

/** Runs fused stages over one block, in order; `instance` is the actor pool's object, if any. */
export async function runStages(block: Block, stages: Stage[], instance?: { call(batch: unknown): unknown }): Promise<Block> {
  let current = block;
  for (const stage of stages) current = await runStage(current, stage, instance);
  return current;
}

async function runStage(block: Block, stage: Stage, instance?: { call(batch: unknown): unknown }): Promise<Block> {
  if (stage.kind === 'map' || stage.kind === 'filter' || stage.kind === 'flatMap') {
    const fn = compile(stage.source) as (row: Row) => unknown;
    const rows = blockToRows(block);
    const out: Row[] = [];
    for (const row of rows) {
      const result = await fn(row);
      if (stage.kind === 'filter') {
        if (result) out.push(row);
      } else if (stage.kind === 'map') {
        out.push(asRow(result, 'map'));
      } else {
        if (!result || typeof (result as Iterable<unknown>)[Symbol.iterator] !== 'function') {
          throw new DataError(`flatMap's function returned ${String(result)}; return an array of row objects.`);
        }
        for (const r of result as Iterable<unknown>) out.push(asRow(r, 'flatMap'));
      }
    }
    return blockFromRows(out);
  }
  if (stage.kind === 'addColumn') {
    const fn = compile(stage.source) as (batch: unknown) => unknown;
    const value = await fn(blockToColumns(block));
    const added = blockFromBatch({ [stage.name]: value }, `addColumn('${stage.name}')`);
    if (added.numRows !== block.numRows) {
      throw new BatchShapeError(`addColumn('${stage.name}'): the function returned ${added.numRows} values for a batch of ${block.numRows} rows; return one value per row.`);
    }
    return { numRows: block.numRows, columns: { ...block.columns, ...added.columns } };
  }
  if (stage.kind === 'dropColumns' || stage.kind === 'selectColumns' || stage.kind === 'renameColumns') {
    if (block.numRows === 0) return block;
    const columns: Record<string, Column> = {};
    if (stage.kind === 'renameColumns') {
      for (const name of Object.keys(stage.mapping)) requireColumn(block, name, 'renameColumns');
      for (const [name, col] of Object.entries(block.columns)) columns[stage.mapping[name] ?? name] = col;
    } else {
      for (const name of stage.names) requireColumn(block, name, stage.kind);
      for (const [name, col] of Object.entries(block.columns)) if (stage.names.includes(name) === (stage.kind === 'selectColumns')) columns[name] = col;
    }
    return { numRows: block.numRows, columns };
  }
  const batchStage = stage as Extract<Stage, { kind: 'mapBatches' | 'actor' }>;
  const call = batchStage.kind === 'actor' ? (batch: unknown) => (instance as { call(b: unknown): unknown }).call(batch) : bindBatchFn(batchStage);
  const size = batchStage.batchSize ?? Math.max(block.numRows, 1);
  const outs: Block[] = [];
  for (let start = 0; start < block.numRows; start += size) {
    const part = start === 0 && size >= block.numRows ? block : sliceBlock(block, start, start + size);
    const result = await call(await asBatch(part, batchStage.batchFormat));
    outs.push(isArrowTable(result) ? tableToBlock(result) : blockFromBatch(result, 'mapBatches'));
  }
  return concatBlocks(outs);
}

function bindBatchFn(stage: Extract<Stage, { kind: 'mapBatches' }>): (batch: unknown) => unknown {
  const fn = compile(stage.source) as (batch: unknown, ...args: unknown[]) => unknown;
  return (batch) => fn(batch, ...stage.args);
}

function asRow(value: unknown, call: string): Row {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DataError(`${call}'s function returned ${JSON.stringify(value)}; rows are objects, e.g. return { value: x } instead of x.`);
  }
  return value as Row;
}
