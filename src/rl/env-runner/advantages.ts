/**
 * Generalised Advantage Estimation (Schulman et al. 2016) over a runner's rollout, the
 * postprocessing RLlib does in `compute_advantages`. With `lambda = 1` the advantage is the
 * discounted return minus the baseline: REINFORCE with a baseline (PG).
 *
 * The rollout is time-major, `numSteps × numEnvs`: entry `t * numEnvs + e` is env `e`'s step `t`.
 * Episode boundaries restart the recursion; a terminated step has no future value, a truncated
 * one (a time limit) bootstraps from V(final observation), and the last step of the fragment
 * bootstraps from V(next observation).
 */
export interface GaeInput {
  numSteps: number;
  numEnvs: number;
  rewards: Float32Array;
  /** V(s_t) at every step. */
  values: Float32Array;
  /** 1 where the episode ended at this step with nothing to bootstrap (terminated). */
  terminated: Uint8Array;
  /** 1 where the episode was cut at this step (truncated and not terminated). */
  truncated: Uint8Array;
  /** V(final observation) at truncated steps (0 elsewhere). */
  truncatedValues: Float32Array;
  /** V(observation after the fragment's last step), one per env. */
  lastValues: Float32Array;
  gamma: number;
  lambda: number;
}

/**
 * Advantages and value targets (advantage + V(s)), both time-major like the input.
 *
 * @example
 * const { advantages, valueTargets } = computeGae({ numSteps: 1, numEnvs: 1, rewards: Float32Array.of(1),
 *   values: Float32Array.of(0.5), terminated: Uint8Array.of(1), truncated: Uint8Array.of(0),
 *   truncatedValues: Float32Array.of(0), lastValues: Float32Array.of(0), gamma: 0.99, lambda: 0.95 });
 * // advantages[0] === 0.5 (1 - 0.5), valueTargets[0] === 1
 */
export function computeGae(input: GaeInput): { advantages: Float32Array; valueTargets: Float32Array } {
  const { numSteps, numEnvs, rewards, values, terminated, truncated, truncatedValues, lastValues, gamma, lambda } = input;
  const size = numSteps * numEnvs;
  const advantages = new Float32Array(size);
  const valueTargets = new Float32Array(size);
  for (let e = 0; e < numEnvs; e++) {
    let nextValue = lastValues[e] as number;
    let nextAdvantage = 0;
    for (let t = numSteps - 1; t >= 0; t--) {
      const i = t * numEnvs + e;
      if (terminated[i]) {
        nextValue = 0;
        nextAdvantage = 0;
      } else if (truncated[i]) {
        nextValue = truncatedValues[i] as number;
        nextAdvantage = 0;
      }
      const value = values[i] as number;
      const delta = (rewards[i] as number) + gamma * nextValue - value;
      const advantage = delta + gamma * lambda * nextAdvantage;
      advantages[i] = advantage;
      valueTargets[i] = advantage + value;
      nextValue = value;
      nextAdvantage = advantage;
    }
  }
  return { advantages, valueTargets };
}
