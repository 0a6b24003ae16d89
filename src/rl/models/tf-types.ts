import type { Tf } from '../../ml/index.ts';

/**
 * TensorFlow.js types for `src/rl`, derived from the `Tf` namespace type that `src/ml` exports:
 * only `src/ml` may import `@tensorflow/*`, and these cost nothing at run time.
 */
export type { Tf };
export type Tensor = InstanceType<Tf['Tensor']>;
export type Scalar = ReturnType<Tf['scalar']>;
export type Tensor1D = ReturnType<Tf['tensor1d']>;
export type Tensor2D = ReturnType<Tf['tensor2d']>;
export type Variable = InstanceType<Tf['Variable']>;
export type Sequential = ReturnType<Tf['sequential']>;
export type Optimizer = InstanceType<Tf['Optimizer']>;
