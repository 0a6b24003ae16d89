import type { Rng } from '../env/index.ts';
import { argmax, greedyCategorical, sampleCategorical } from './categorical.ts';
import { JsMlp, type WeightData } from './js-mlp.ts';
import type { PolicySpec } from './policy-spec.ts';

/** Actions for a batch of observations, with what the learner needs to know about them. */
export interface ActOutput {
  actions: Int32Array;
  /** log π(a|s) of each action taken (actor-critic only). */
  logp: Float32Array | null;
  /** V(s) of each observation (actor-critic only). */
  values: Float32Array | null;
}

/** How to act: sample (explore) or take the best action; DQN's ε for exploring. */
export interface ActOptions {
  explore: boolean;
  /** Probability of a uniformly random action when exploring (`q` policies). */
  epsilon?: number;
}

/**
 * The acting half of a policy, in plain JavaScript: what env runners (and `computeSingleAction`)
 * run for every step. It holds a `JsMlp` per network of the spec and acts on a batch of encoded
 * observations at once.
 *
 * @example
 * const policy = new ActingPolicy(spec.policy);
 * policy.setWeights(await learner.policyWeights());
 * const { actions, logp, values } = policy.act(obs, numEnvs, { explore: true }, rng);
 */
export class ActingPolicy {
  readonly spec: PolicySpec;
  readonly numActions: number;
  #pi: JsMlp | null = null;
  #vf: JsMlp | null = null;
  #q: JsMlp | null = null;

  constructor(spec: PolicySpec) {
    this.spec = spec;
    this.numActions = spec.type === 'q' ? spec.q.outputs : spec.pi.outputs;
  }

  /** Whether weights were loaded: a runner cannot act before the first `setWeights`. */
  get ready(): boolean {
    return this.#pi !== null || this.#q !== null;
  }

  /** Loads the learner's weights (`ml.getWeights` order). */
  setWeights(weights: readonly WeightData[]): void {
    const spec = this.spec;
    switch (spec.type) {
      case 'actor-critic': {
        const split = JsMlp.weightCount(spec.pi);
        this.#pi = new JsMlp(spec.pi, weights.slice(0, split));
        this.#vf = new JsMlp(spec.vf, weights.slice(split));
        return;
      }
      case 'q':
        this.#q = new JsMlp(spec.q, weights);
        return;
      default:
        throw new Error(`Unknown policy type: ${JSON.stringify(spec satisfies never)}`);
    }
  }

  /** Actions for `batch` encoded observations (`batch × inputs` floats, row by row). */
  act(obs: Float32Array, batch: number, options: ActOptions, rng: Rng): ActOutput {
    const n = this.numActions;
    const actions = new Int32Array(batch);
    if (this.spec.type === 'q') {
      const q = this.#network(this.#q).forward(obs, batch);
      const epsilon = options.explore ? (options.epsilon ?? 0) : 0;
      for (let b = 0; b < batch; b++) {
        actions[b] = epsilon > 0 && rng.next() < epsilon ? rng.int(n) : argmax(q, b * n, n);
      }
      return { actions, logp: null, values: null };
    }
    const logits = this.#network(this.#pi).forward(obs, batch);
    const logp = new Float32Array(batch);
    for (let b = 0; b < batch; b++) {
      const choice = options.explore ? sampleCategorical(logits, b, n, rng) : greedyCategorical(logits, b, n);
      actions[b] = choice.action;
      logp[b] = choice.logp;
    }
    return { actions, logp, values: this.values(obs, batch) };
  }

  /** V(s) for `batch` encoded observations (actor-critic), e.g. to bootstrap a cut-off episode. */
  values(obs: Float32Array, batch: number): Float32Array {
    return Float32Array.from(this.#network(this.#vf).forward(obs, batch).subarray(0, batch));
  }

  /** The raw outputs (logits or Q-values) for `batch` observations, a fresh array. */
  outputs(obs: Float32Array, batch: number): Float32Array {
    const network = this.spec.type === 'q' ? this.#q : this.#pi;
    return Float32Array.from(this.#network(network).forward(obs, batch));
  }

  #network(network: JsMlp | null): JsMlp {
    if (!network) throw new Error('The policy has no weights yet: call setWeights(weights) before acting.');
    return network;
  }
}
