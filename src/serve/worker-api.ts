/**
 * `raybox.serve` inside workers: `batch` for class deployments' fields, and `replica`, which a
 * replica's actor shell calls to build the deployment from its source.
 */
import { makeBatcher } from './batch.ts';
import { createReplica } from './replica-runtime.ts';

export const serveWorkerApi = { batch: makeBatcher, replica: createReplica };
