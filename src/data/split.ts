import { get, getActor, kill, remote } from '../core/api.ts';
import type { ActorClass } from '../core/actor-class.ts';
import { registerValueHandler } from '../protocol/value-handler.ts';
import { DATA_ITERATOR_HANDLER } from './data-iterator-handler.ts';
import { blockToRows, type Block, type Row } from './block.ts';
import { DataSplitCoordinator } from './block-task.ts';
import { rethrowDataError } from './errors.ts';
import { batchesOf, type Batch, type IterBatchesOptions } from './batches.ts';
import { checkBatchFormat } from './stages.ts';

let coordinatorClass: ActorClass<typeof DataSplitCoordinator> | undefined;
let splits = 0;

/**
 * One consumer's share of `streamingSplit`. It names its coordinator actor, so it can be passed
 * to tasks and actors (a value handler rebuilds it there) and iterated wherever it lands.
 */
export class DataIterator {
  readonly coordinator: string;

  constructor(coordinator: string) {
    this.coordinator = coordinator;
  }

  async *#blocks(): AsyncGenerator<Block> {
    const handle = getActor<DataSplitCoordinator>(this.coordinator);
    for (;;) {
      const block = await get(handle.next.remote()).catch(rethrowDataError);
      if (block === null) return;
      if (block.numRows > 0) yield block;
    }
  }

  async *iterRows(): AsyncGenerator<Row> {
    for await (const block of this.#blocks()) yield* blockToRows(block);
  }

  async *iterBatches(options: IterBatchesOptions = {}): AsyncGenerator<Batch> {
    const format = checkBatchFormat(options.batchFormat ?? 'columns', 'iterBatches');
    yield* batchesOf(this.#blocks(), options.batchSize ?? 256, format, options);
  }
}

registerValueHandler<DataIterator, string>({
  name: DATA_ITERATOR_HANDLER,
  canHandle: (value): value is DataIterator => value instanceof DataIterator,
  serialize: (it) => ({ data: it.coordinator, transfer: [] }),
  deserialize: (name) => new DataIterator(name),
});

/**
 * Starts a coordinator actor for `n` consumers and pumps the execution's blocks into it; the
 * coordinator is killed once every consumer saw the end.
 */
export function streamingSplit(blocks: AsyncIterable<Block>, n: number): DataIterator[] {
  coordinatorClass ??= remote(DataSplitCoordinator);
  const name = `raybox-data-split-${Date.now().toString(36)}-${++splits}`;
  const coordinator = coordinatorClass.options({ name, maxConcurrency: n + 4 }).remote(n);
  void (async () => {
    let failure: { name: string; message: string } | null = null;
    try {
      for await (const block of blocks) await get(coordinator.offer.remote(block));
    } catch (error) {
      const e = error as { name?: string; remoteName?: string; message?: string; remoteMessage?: string };
      failure = { name: e.remoteName ?? e.name ?? 'Error', message: e.remoteMessage ?? e.message ?? String(error) };
    }
    try {
      await get(coordinator.finish.remote(failure));
      await get(coordinator.closed.remote());
    } finally {
      kill(coordinator);
    }
  })().catch(() => {
    // The consumers got the failure already; a shutdown meanwhile leaves nothing to tell.
  });
  return Array.from({ length: n }, () => new DataIterator(name));
}
