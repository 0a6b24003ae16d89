import { shuffleBlocks } from './all-to-all.ts';
import { blockToColumns, blockToRows, concatBlocks, sliceBlock, type Block, type Column, type Row } from './block.ts';
import type { BatchFormat } from './stages.ts';
import { blockToArrow } from './arrow.ts';

export interface IterBatchesOptions {
  batchSize?: number;
  batchFormat?: BatchFormat;
  dropLast?: boolean;
  /** Accepted for Ray compatibility; blocks stream one at a time. */
  prefetchBatches?: number;
  localShuffleBufferSize?: number;
  localShuffleSeed?: number;
}

/** Batches of `batchSize` rows across block boundaries, optionally shuffled within a buffer. */
export type Batch = Record<string, Column> | Row[] | Awaited<ReturnType<typeof blockToArrow>>;

/** A block as the batch a user sees: rows, columns (name → typed array or array) or an Arrow table. */
export async function asBatch(block: Block, format: BatchFormat): Promise<Batch> {
  if (format === 'rows') return blockToRows(block);
  if (format === 'arrow') return blockToArrow(block);
  return blockToColumns(block);
}

export async function* batchesOf(blocks: AsyncIterable<Block>, batchSize: number, format: BatchFormat, options: IterBatchesOptions): AsyncGenerator<Batch> {
  const shuffleSize = options.localShuffleBufferSize ?? 0;
  let buffer: Block[] = [];
  let buffered = 0;
  const emit = (block: Block) => asBatch(block, format);
  for await (const block of blocks) {
    buffer.push(block);
    buffered += block.numRows;
    while (buffered >= Math.max(batchSize, shuffleSize)) {
      let all = concatBlocks(buffer);
      if (shuffleSize > 0) all = shuffleBlocks([all], options.localShuffleSeed)[0] as Block;
      yield await emit(sliceBlock(all, 0, batchSize));
      buffer = [sliceBlock(all, batchSize, all.numRows)];
      buffered = all.numRows - batchSize;
    }
  }
  if (buffered > 0 && !options.dropLast) {
    const all = concatBlocks(buffer);
    for (let start = 0; start < all.numRows; start += batchSize) {
      const part = sliceBlock(all, start, start + batchSize);
      if (part.numRows === batchSize || !options.dropLast) yield await emit(part);
    }
  }
}

