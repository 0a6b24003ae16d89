/**
 * The script every raybox worker runs. It composes the runtime's worker entry with the layers
 * above it, which the entry itself may not import: TensorFlow.js (the global `tf`, tensor values,
 * tensor scopes), `raybox.rl` (with `rl.worker`, what env-runner and learner actors run), `raybox.tune` (what trial
 * actors run), `raybox.train` (what training workers run), `raybox.data` (what data tasks and actors run), `raybox.serve` (replicas, batching)
 * and, in a joiner's sandbox, the head's DataChannel as the worker's data port come in here.
 *
 * Only the runtime and `raybox.ml` load with the worker. The libraries (and what they import:
 * d3-dsv, hyparquet, ajv, itty-router …) load on first use, as `tf` does: before the first task
 * or actor whose source names `raybox.data`, `raybox.serve`, `raybox.tune`, `raybox.train` or `raybox.rl`
 * (`LazyApi`), and Ray Data before a `DataIterator` arrives in a task's arguments. A worker that
 * runs plain tasks starts without them.
 */
import { ml } from './ml/index.ts';
import { DATA_ITERATOR_HANDLER } from './data/data-iterator-handler.ts';
import { tfWorkerExtensions } from './ml/worker-extensions.ts';
import { channelDataPort } from './net/worker-channel.ts';
import { registerValueHandler, valueHandler } from './protocol/value-handler.ts';
import { startWorker } from './workers/entry/start-worker.ts';

const lazyApi = {
  data: async () => {
    const [{ data }, { dataWorkerApi }] = await Promise.all([import('./data/index.ts'), import('./data/worker-api.ts')]);
    return { ...data, worker: dataWorkerApi };
  },
  serve: async () => (await import('./serve/worker-api.ts')).serveWorkerApi,
  tune: async () => (await import('./tune/index.ts')).tune,
  train: async () => (await import('./train/index.ts')).train,
  rl: async () => {
    const [{ rl }, { rlWorkerApi }] = await Promise.all([import('./rl/index.ts'), import('./rl/worker-api.ts')]);
    return { ...rl, worker: rlWorkerApi };
  },
};

// A DataIterator arriving before Ray Data is loaded: its handler's `ready()` loads it (which
// registers the real handler in this one's place), and the task decodes its arguments after that.
registerValueHandler<unknown, unknown>({
  name: DATA_ITERATOR_HANDLER,
  canHandle: (_value): _value is unknown => false,
  serialize: () => {
    throw new Error('a DataIterator is encoded by its own handler, once Ray Data is loaded');
  },
  deserialize(data) {
    const real = valueHandler(DATA_ITERATOR_HANDLER);
    if (!real || real.deserialize === this.deserialize) throw new Error('Ray Data did not load before a DataIterator was decoded. This is a bug in raybox: please report it.');
    return real.deserialize(data);
  },
  ready: async () => {
    await import('./data/split.ts');
  },
});

startWorker({ ...tfWorkerExtensions, api: { ml }, lazyApi, openChannel: channelDataPort });
