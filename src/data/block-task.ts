import type { Block } from './block.ts';
import type { BlockInput, Stage } from './stages.ts';
import type { DataWorkerApi } from './worker-api.ts';

/** The worker's global `raybox`, as far as these shells use it. */
declare const raybox: { data: { worker: DataWorkerApi } };

/**
 * The task that makes one block: reads or generates its input and runs the fused stages on it.
 * Functions travel to workers as source text and see only globals, so this is a thin shell over
 * `raybox.data.worker` (src/worker.ts installs it).
 *
 * Invariant: this function's source mentions nothing but `raybox` and its arguments.
 */
export function dataBlockTask(input: BlockInput, stages: Stage[]): Promise<Block> {
  return raybox.data.worker.run(input, stages);
}

/**
 * An actor of a `mapBatches` pool: it constructs the user's class once, then runs the fused
 * stages, the class's `call(batch)` among them, for every block it is given.
 *
 * Invariant: this class's source mentions nothing but `raybox`, its arguments and `this`.
 */
export class DataBlockActor {
  instance: { call(batch: unknown): unknown };

  constructor(classSource: string, args: unknown[]) {
    this.instance = raybox.data.worker.construct(classSource, args);
  }

  run(input: BlockInput, stages: Stage[]): Promise<Block> {
    return raybox.data.worker.run(input, stages, this.instance);
  }
}
