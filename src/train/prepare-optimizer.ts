import { loadedTf } from '../ml/tf-module.ts';
import { TrainError } from './errors.ts';
import { allreduceGradients } from './worker-session.ts';

/** What a prepared optimizer needs of a TensorFlow.js optimizer (`tf.train.*`). */
interface OptimizerLike {
  computeGradients(f: () => unknown, varList?: unknown[]): { value: { dispose(): void }; grads: Record<string, { dispose(): void }> };
  applyGradients(grads: Record<string, unknown>): void;
}

/** The methods a prepared optimizer replaces: both wait for the group, so both return promises. */
export interface PreparedOptimizer {
  /** `optimizer.minimize`, with the gradients averaged across the workers before they apply. */
  minimize(f: () => unknown, returnCost?: boolean, varList?: unknown[]): Promise<unknown>;
  /** `optimizer.applyGradients` of the workers' average of `grads`. */
  applyGradients(grads: Record<string, unknown>): Promise<void>;
}

function isOptimizer(value: unknown): value is OptimizerLike {
  const o = value as Partial<OptimizerLike> | null;
  return typeof o === 'object' && o !== null && typeof o.computeGradients === 'function' && typeof o.applyGradients === 'function';
}

/**
 * Wraps a TensorFlow.js optimizer so that each `minimize` (or `applyGradients`) applies the mean
 * of every worker's gradients: N workers each on batch b then train exactly as one worker on
 * batch N·b (synchronous data parallelism). Every other member is the optimizer's own.
 *
 * @example
 * const opt = train.prepareOptimizer(tf.train.sgd(0.1));
 * await opt.minimize(() => tf.losses.meanSquaredError(ys, model.predict(xs)));
 */
export function prepareOptimizer<O extends object>(optimizer: O): O & PreparedOptimizer {
  if (!isOptimizer(optimizer)) {
    throw new TrainError('train.prepareOptimizer(optimizer): give a TensorFlow.js optimizer, e.g. tf.train.adam(1e-3).');
  }
  const applyAveraged = async (grads: Record<string, unknown>): Promise<void> => {
    const averaged = await allreduceGradients(grads);
    try {
      optimizer.applyGradients(averaged);
    } finally {
      loadedTf()?.dispose(Object.values(averaged) as never);
    }
  };
  const prepared: PreparedOptimizer = {
    async minimize(f, returnCost = false, varList) {
      const { value, grads } = optimizer.computeGradients(f, varList);
      try {
        await applyAveraged(grads);
      } finally {
        for (const grad of Object.values(grads)) grad.dispose();
      }
      if (returnCost) return value;
      value.dispose();
      return null;
    },
    applyGradients: applyAveraged,
  };
  return new Proxy(optimizer, {
    get(target, key, receiver) {
      if (key === 'minimize' || key === 'applyGradients') return prepared[key];
      const member = Reflect.get(target, key, receiver) as unknown;
      return typeof member === 'function' ? (member as (...a: unknown[]) => unknown).bind(target) : member;
    },
  }) as unknown as O & PreparedOptimizer;
}
