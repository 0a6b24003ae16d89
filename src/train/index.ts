/**
 * `raybox.train`: data-parallel training, shaped after Ray Train. Trainers start a group of
 * worker actors that each run the training loop; inside it, the session calls (`getContext`,
 * `getDatasetShard`, `report`, `getCheckpoint`), collective `allreduce` and `prepareOptimizer`.
 *
 * The same namespace is `raybox.train` inside every worker: training actors run the loop through
 * `TrainSession`, and the loop's `train.report` reaches it there.
 */
import { NoTrainSessionError, TrainConfigError, TrainError, TrainingFailedError, UnknownDatasetError, WorkerStepMismatchError } from './errors.ts';
import { Checkpoint } from './checkpoint.ts';
import { prepareOptimizer } from './prepare-optimizer.ts';
import { DataParallelTrainer, TensorflowTrainer } from './trainer.ts';
import { allreduce, getCheckpoint, getContext, getDatasetShard, report, TrainSession } from './worker-session.ts';

/**
 * The `raybox.train` namespace.
 *
 * @example
 * const { train } = raybox;
 * const loop = async (config) => {
 *   const { worldRank } = train.getContext();
 *   for (let epoch = 0; epoch < config.epochs; epoch++) await train.report({ epoch, worldRank });
 * };
 * const result = await new train.DataParallelTrainer(loop, { trainLoopConfig: { epochs: 3 }, scalingConfig: { numWorkers: 2 } }).fit();
 */
export const train = {
  DataParallelTrainer,
  TensorflowTrainer,
  Checkpoint,
  // Inside the loop
  getContext,
  getDatasetShard,
  report,
  getCheckpoint,
  allreduce,
  prepareOptimizer,
  // Errors
  TrainError,
  TrainConfigError,
  NoTrainSessionError,
  UnknownDatasetError,
  WorkerStepMismatchError,
  TrainingFailedError,
  // What training actors run in workers
  TrainSession,
};

export type { CheckpointData } from './checkpoint.ts';
export type { Result } from './result.ts';
export type { TrainerOptions, ScalingConfig, TrainRunConfig, CheckpointConfig, DatasetConfig, AllreduceAlgorithm } from './trainer-options.ts';
export type { TrainContext } from './session-messages.ts';
export type { ReduceOp } from './reduce-ops.ts';
export type { GradientCompression } from './wire-leaves.ts';
export type { PreparedOptimizer } from './prepare-optimizer.ts';
export type { DatasetShard } from './worker-session.ts';
