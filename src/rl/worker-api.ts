import { EnvRunner } from './env-runner/env-runner.ts';
import { LearnerHost } from './learner/learner-host.ts';

/**
 * What rl's actors run inside a worker: `src/worker.ts` puts it on the worker's global
 * `raybox.rl.worker`, where the thin actor shells (`EnvRunnerActor`, `LearnerActor`) find it.
 * It is not part of the page's `raybox.rl`.
 */
export const rlWorkerApi = { EnvRunner, LearnerHost };

export type RlWorkerApi = typeof rlWorkerApi;
