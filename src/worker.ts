/**
 * The script every raybox worker runs. It composes the runtime's worker entry with the layers
 * above it, which the entry itself may not import: TensorFlow.js (the global `tf`, tensor values,
 * tensor scopes), `raybox.rl` (what env-runner and learner actors run), `raybox.tune` (what trial actors run), `raybox.train` (what training workers run), `raybox.data` (what data tasks and actors run), `raybox.serve` (replicas, batching) and, in a joiner's
 * sandbox, the head's DataChannel as the worker's data port come in here.
 */
import { ml } from './ml/index.ts';
import { rl } from './rl/index.ts';
import { data } from './data/index.ts';
import { dataWorkerApi } from './data/worker-api.ts';
import { serveWorkerApi } from './serve/worker-api.ts';
import { tune } from './tune/index.ts';
import { train } from './train/index.ts';
import { tfWorkerExtensions } from './ml/worker-extensions.ts';
import { channelDataPort } from './net/worker-channel.ts';
import { startWorker } from './workers/entry/start-worker.ts';

startWorker({ ...tfWorkerExtensions, api: { ml, rl, tune, train, data: { ...data, worker: dataWorkerApi }, serve: serveWorkerApi }, openChannel: channelDataPort });
