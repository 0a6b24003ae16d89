/**
 * The worker script as it was before its libraries loaded on use: every library's worker side
 * imported at boot. Only the worker-boot benchmark starts it, as the baseline the lazy script is
 * measured against in the same run.
 */
import { ml } from '../../src/ml/index.ts';
import { rl } from '../../src/rl/index.ts';
import { data } from '../../src/data/index.ts';
import { dataWorkerApi } from '../../src/data/worker-api.ts';
import { serveWorkerApi } from '../../src/serve/worker-api.ts';
import { tune } from '../../src/tune/index.ts';
import { tfWorkerExtensions } from '../../src/ml/worker-extensions.ts';
import { channelDataPort } from '../../src/net/worker-channel.ts';
import { startWorker } from '../../src/workers/entry/start-worker.ts';

startWorker({ ...tfWorkerExtensions, api: { ml, rl, tune, data: { ...data, worker: dataWorkerApi }, serve: serveWorkerApi }, openChannel: channelDataPort });
