import { RayboxUsageError } from '../core/errors.ts';
import { registerValueHandler } from '../protocol/value-handler.ts';
import { CHECKPOINT_HANDLER } from './checkpoint-handler.ts';
import { getWeights, setWeights, type WeightedModel, type Weights } from '../ml/weights.ts';
import { loadTf } from '../ml/load-tf.ts';
import { loadedTf } from '../ml/tf-module.ts';
import { TrainError } from './errors.ts';
import { getRecord, putRecord } from './checkpoint-store.ts';

/** A checkpoint as plain data: JSON-ready metadata and topology, weights as typed arrays. */
export interface CheckpointData {
  metadata: Record<string, unknown>;
  /** The model's Keras topology (`model.toJSON(null, false)`), when it came from a model. */
  topology: Record<string, unknown> | null;
  weights: Weights;
}

/** What `fromModel` needs of a model: its weights, and its topology when it is a LayersModel. */
interface ModelLike extends WeightedModel {
  toJSON?(unused?: null, returnString?: boolean): unknown;
}

/**
 * A TensorFlow.js model's state, after Ray Train's `Checkpoint`: the weights as binary (typed
 * arrays, moved between workers without a copy where the platform allows) and JSON metadata
 * (the topology, and whatever the caller adds: the epoch, the preprocessor). It travels with
 * `train.report` and arrives as a `Checkpoint` on the page and in the next run's workers.
 *
 * @example
 * await train.report({ loss }, { checkpoint: await train.Checkpoint.fromModel(model, { epoch }) });
 * const model = await result.checkpoint.toModel();
 */
export class Checkpoint {
  readonly metadata: Record<string, unknown>;
  readonly topology: Record<string, unknown> | null;
  readonly weights: Weights;

  constructor(data: CheckpointData) {
    this.metadata = data.metadata;
    this.topology = data.topology;
    this.weights = data.weights;
  }

  /** The model's weights (copied out) and topology, with `metadata` beside them. */
  static async fromModel(model: ModelLike, metadata: Record<string, unknown> = {}): Promise<Checkpoint> {
    if (typeof model?.getWeights !== 'function') throw new RayboxUsageError('Checkpoint.fromModel(model): give a TensorFlow.js model (tf.sequential, tf.model, a layer).');
    const topology = typeof model.toJSON === 'function' ? (model.toJSON(null, false) as Record<string, unknown>) : null;
    return new Checkpoint({ metadata: { ...metadata }, topology, weights: await getWeights(model) });
  }

  /** A checkpoint of plain data (from `toDict`, or saved elsewhere). */
  static fromDict(data: CheckpointData): Checkpoint {
    if (typeof data !== 'object' || data === null || !Array.isArray(data.weights)) {
      throw new RayboxUsageError('Checkpoint.fromDict(data): give { metadata, topology, weights } as toDict() returns it.');
    }
    return new Checkpoint({ metadata: data.metadata ?? {}, topology: data.topology ?? null, weights: data.weights });
  }

  toDict(): CheckpointData {
    return { metadata: this.metadata, topology: this.topology, weights: this.weights };
  }

  /**
   * A new model built from the topology, with the checkpoint's weights. Loads TensorFlow.js where
   * it is not loaded yet (a `mapBatches` actor whose class only mentions tf in a method).
   */
  async toModel(): Promise<unknown> {
    const tf = loadedTf() ?? (await loadTf());
    if (!this.topology) throw new TrainError('This checkpoint has no topology (it was not made from a LayersModel): build the model yourself and call checkpoint.loadInto(model).');
    const model = await tf.models.modelFromJSON({ modelTopology: this.topology } as never);
    this.loadInto(model);
    return model;
  }

  /**
   * Loads the weights into `model`, built as the one saved was.
   *
   * @throws WeightsMismatchError naming the first weight whose shape or dtype differs.
   */
  loadInto(model: WeightedModel): void {
    setWeights(model, this.weights);
  }

  /** Saves the checkpoint in this browser's IndexedDB under `key`, replacing any there. */
  async save(key: string): Promise<void> {
    if (typeof key !== 'string' || key === '') throw new RayboxUsageError('checkpoint.save(key): give a non-empty name, e.g. "flights-mlp".');
    await putRecord(key, this.toDict());
  }

  /** The checkpoint saved under `key` in this browser's IndexedDB. */
  static async load(key: string): Promise<Checkpoint> {
    const data = await getRecord(key);
    if (data === undefined) throw new TrainError(`No checkpoint is saved under '${key}' in this browser. Save one with checkpoint.save('${key}').`);
    return Checkpoint.fromDict(data as CheckpointData);
  }
}

registerValueHandler<Checkpoint, CheckpointData>({
  name: CHECKPOINT_HANDLER,
  canHandle: (value): value is Checkpoint => value instanceof Checkpoint,
  // Copied, not transferred: the sender may keep using its checkpoint.
  serialize: (checkpoint) => ({ data: checkpoint.toDict(), transfer: [] }),
  deserialize: (data) => Checkpoint.fromDict(data),
});
