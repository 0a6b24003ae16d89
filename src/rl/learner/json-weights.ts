import type { WeightEntry, Weights } from '../../ml/index.ts';
import { CheckpointError } from '../errors.ts';

/** A weight as JSON can hold it: `data` a plain array (float32 values survive JSON exactly). */
export interface JsonWeight {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  data: number[];
}

export type JsonWeights = JsonWeight[];

/** `ml.getWeights` output as JSON-ready data. */
export function weightsToJson(weights: Weights): JsonWeights {
  return weights.map((w) => ({ name: w.name, shape: [...w.shape], dtype: w.dtype, data: Array.from(w.data) }));
}

/** JSON weights back to `ml.setWeights` input; checks each entry's size against its shape. */
export function weightsFromJson(json: JsonWeights, what: string): Weights {
  if (!Array.isArray(json)) throw new CheckpointError(`${what}: expected a list of weights, got ${typeof json}. Pass a checkpoint that algo.save() returned.`);
  return json.map((w, i): WeightEntry => {
    const size = Array.isArray(w?.shape) ? w.shape.reduce((p, d) => p * d, 1) : -1;
    if (!Array.isArray(w?.data) || w.data.length !== size) {
      throw new CheckpointError(`${what}: weight ${i} (${String(w?.name)}) has ${w?.data?.length ?? 0} values for shape [${String(w?.shape)}]. The checkpoint is damaged; save it again.`);
    }
    return {
      name: w.name,
      shape: [...w.shape],
      dtype: w.dtype,
      data: w.dtype === 'int32' ? Int32Array.from(w.data) : Float32Array.from(w.data),
    };
  });
}
