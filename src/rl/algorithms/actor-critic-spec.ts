import type { PolicySpec } from '../models/policy-spec.ts';
import type { CommonTrainingOptions, Spaces } from './algorithm-spec.ts';

/** The policy spec of PPO and PG: a policy network over the actions and a separate value network. */
export function actorCriticSpec(training: CommonTrainingOptions, spaces: Spaces, obsSize: number): PolicySpec {
  const numActions = spaces.action.type === 'Discrete' ? spaces.action.n : 0;
  const common = { inputs: obsSize, hiddens: [...training.model.fcnetHiddens], activation: training.model.fcnetActivation };
  return { type: 'actor-critic', pi: { ...common, outputs: numActions }, vf: { ...common, outputs: 1 } };
}
