/**
 * The script every raybox worker runs. It composes the runtime's worker entry with the layers
 * above it, which the entry itself may not import: TensorFlow.js (the global `tf`, tensor values,
 * tensor scopes), `raybox.rl` (with `rl.worker`, what env-runner and learner actors run),
 * `raybox.tune` (what trial actors run), `raybox.train` (what training workers run), `raybox.data`
 * (what data tasks and actors run), `raybox.serve` (replicas, batching) and, in a joiner's sandbox,
 * the head's DataChannel as the worker's data port come in here.
 *
 * Only the runtime and `raybox.ml` load with the worker. The libraries (and what they import:
 * d3-dsv, hyparquet, ajv, itty-router …) load on first use, as `tf` does: before the first task
 * or actor whose source names `raybox.data`, `raybox.serve`, `raybox.tune`, `raybox.train` or
 * `raybox.rl` (`LazyApi`), and Ray Data or raybox.train before a `DataIterator` or a `Checkpoint`
 * arrives in a task's arguments. A worker that runs plain tasks starts without them.
 */
import { ml } from './ml/index.ts';
import { DATA_ITERATOR_HANDLER } from './data/data-iterator-handler.ts';
import { CHECKPOINT_HANDLER } from './train/checkpoint-handler.ts';
import { tfWorkerExtensions } from './ml/worker-extensions.ts';
import { channelDataPort } from './net/worker-channel.ts';
import { startWorker } from './workers/entry/start-worker.ts';

const lazyApi = {
  data: {
    load: async () => {
      const [{ data }, { dataWorkerApi }] = await Promise.all([import('./data/index.ts'), import('./data/worker-api.ts')]);
      return { ...data, worker: dataWorkerApi };
    },
    decodes: [DATA_ITERATOR_HANDLER],
  },
  serve: async () => (await import('./serve/worker-api.ts')).serveWorkerApi,
  tune: async () => (await import('./tune/worker-api.ts')).tuneWorkerApi,
  train: { load: async () => (await import('./train/index.ts')).train, decodes: [CHECKPOINT_HANDLER] },
  rl: async () => {
    const [{ rl }, { rlWorkerApi }] = await Promise.all([import('./rl/index.ts'), import('./rl/worker-api.ts')]);
    return { ...rl, worker: rlWorkerApi };
  },
};

startWorker({ ...tfWorkerExtensions, api: { ml }, lazyApi, openChannel: channelDataPort });
