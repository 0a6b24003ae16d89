import type { Block } from './block.ts';
import { compile, produceBlock, runStages, type BlockInput, type Stage } from './stages.ts';

/**
 * What data tasks and actors run inside a worker: `src/worker.ts` puts it on the worker's global
 * `raybox.data.worker`, where the thin shells of `block-task.ts` find it.
 */
export const dataWorkerApi = {
  async run(input: BlockInput, stages: Stage[], instance?: { call(batch: unknown): unknown }): Promise<Block> {
    return runStages(await produceBlock(input), stages, instance);
  },
  construct(classSource: string, args: unknown[]): { call(batch: unknown): unknown } {
    const Class = compile(classSource) as new (...a: unknown[]) => { call(batch: unknown): unknown };
    const instance = new Class(...args);
    if (typeof instance.call !== 'function') {
      throw new TypeError('A class given to mapBatches needs a call(batch) method (Ray\'s __call__).');
    }
    return instance;
  },
};

export type DataWorkerApi = typeof dataWorkerApi;
