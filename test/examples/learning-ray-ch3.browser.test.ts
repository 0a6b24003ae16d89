/**
 * Learning Ray, chapter 3 ("Building Your First Distributed Application"), ported to raybox:
 * tabular Q-learning on the chapter's maze, first in one loop, then with four SimulationActors
 * whose rollouts come back through `wait` while the driver updates the shared policy. The book's
 * Environment is Maze-v0; its Discrete spaces are raybox.rl's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, init, put, remote, rl, shutdown, wait, type ObjectRef } from '../../src/index.ts';
import type { Discrete, Env, Rng } from '../../src/rl/env/index.ts';

/** The worker's global `raybox`, as the actor below uses it. */
declare const raybox: typeof import('../../src/index.ts');

type State = number;
type Action = number;
/** [state, action, reward, next_state], as the book's rollouts record them. */
type Experience = [State, Action, number, State];

beforeAll(async () => {
  await init({ numWorkers: 4 });
});
afterAll(async () => {
  await shutdown();
});

// class Policy: a state-action table, all zeros, and an ε-greedy get_action.
class Policy {
  stateActionTable: number[][];
  actionSpace: Discrete;

  constructor(env: Env) {
    const observations = env.observationSpace as Discrete;
    this.actionSpace = env.actionSpace as Discrete;
    this.stateActionTable = Array.from({ length: observations.n }, () => new Array<number>(this.actionSpace.n).fill(0));
  }

  getAction(state: State, rng: Rng, explore = true, epsilon = 0.1): Action {
    if (explore && rng.uniform(0, 1) < epsilon) return rl.sample(this.actionSpace, rng);
    return argmax(this.stateActionTable[state] as number[]);
  }
}

/** np.argmax: the first index of the largest value. */
function argmax(values: number[]): number {
  return values.reduce((best, value, i) => (value > (values[best] as number) ? i : best), 0);
}

// class Simulation: plays one episode with a policy and records the experiences.
class Simulation {
  constructor(readonly env: Env) {}

  rollout(policy: Policy, rng: Rng, explore = true, epsilon = 0.1): Experience[] {
    const experiences: Experience[] = [];
    let state = this.env.reset().obs as State;
    let done = false;
    while (!done) {
      const action = policy.getAction(state, rng, explore, epsilon);
      const { obs: nextState, reward, terminated, truncated } = this.env.step(action);
      done = terminated || truncated;
      experiences.push([state, action, reward, nextState as State]);
      state = nextState as State;
    }
    return experiences;
  }
}

// def update_policy: the Q-learning update with alpha 0.1 and gamma 0.6.
function updatePolicy(policy: { stateActionTable: number[][] }, experiences: Experience[]): void {
  const alpha = 0.1;
  const gamma = 0.6;
  for (const [state, action, reward, nextState] of experiences) {
    const nextMax = Math.max(...(policy.stateActionTable[nextState] as number[]));
    const row = policy.stateActionTable[state] as number[];
    const value = row[action] as number;
    row[action] = (1 - alpha) * value + alpha * (reward + gamma * nextMax);
  }
}

// def train_policy: one simulation, episode after episode.
function trainPolicy(env: Env, numEpisodes = 10_000): Policy {
  const policy = new Policy(env);
  const simulation = new Simulation(env);
  const rng = rl.createRng(0);
  for (let i = 0; i < numEpisodes; i++) updatePolicy(policy, simulation.rollout(policy, rng));
  return policy;
}

// def evaluate_policy: greedy rollouts, the mean number of steps.
function evaluatePolicy(env: Env, policy: Policy, numEpisodes = 10): number {
  const simulation = new Simulation(env);
  const rng = rl.createRng(1);
  let steps = 0;
  for (let i = 0; i < numEpisodes; i++) steps += simulation.rollout(policy, rng, false).length;
  console.log(`${steps / numEpisodes} steps on average for a total of ${numEpisodes} episodes.`);
  return steps / numEpisodes;
}

/**
 * @ray.remote class SimulationActor(Simulation). Its source runs in a worker and sees only
 * globals, so it builds its own maze with `raybox.rl.makeEnv`, and plays the policy it receives
 * as data: `put` sends the table (a structured clone keeps data, not methods), so get_action is
 * spelt out here.
 */
class SimulationActor {
  env: Env;
  rng: Rng;

  constructor(seed: number) {
    this.env = raybox.rl.makeEnv('Maze-v0');
    this.rng = raybox.rl.createRng(seed);
  }

  rollout(policy: { stateActionTable: number[][]; actionSpace: Discrete }, explore = true, epsilon = 0.1): Experience[] {
    const experiences: Experience[] = [];
    let state = this.env.reset().obs as number;
    let done = false;
    while (!done) {
      const values = policy.stateActionTable[state] as number[];
      const action =
        explore && this.rng.uniform(0, 1) < epsilon
          ? raybox.rl.sample(policy.actionSpace, this.rng)
          : values.reduce((best, value, i) => (value > (values[best] as number) ? i : best), 0);
      const step = this.env.step(action);
      done = step.terminated || step.truncated;
      experiences.push([state, action, step.reward, step.obs as number]);
      state = step.obs as number;
    }
    return experiences;
  }
}

/**
 * def train_policy_parallel. The book puts the policy once, before the loop, so its actors
 * always play the untrained table, and it still learns because its maze has no time limit.
 * Maze-v0 cuts episodes at 100 steps, so here each round puts the policy as it stands: the
 * actors share the learning policy, which is what the chapter sets out to show.
 */
async function trainPolicyParallel(env: Env, numEpisodes = 1000, numSimulations = 4): Promise<Policy> {
  const policy = new Policy(env);
  const simulations = Array.from({ length: numSimulations }, (_, i) => remote(SimulationActor).remote(i));
  for (let episode = 0; episode < numEpisodes; episode++) {
    const policyRef = put({ stateActionTable: policy.stateActionTable, actionSpace: policy.actionSpace });
    let experiences: ObjectRef<Experience[]>[] = simulations.map((sim) => sim.rollout.remote(policyRef));
    while (experiences.length > 0) {
      const { ready: finished, notReady } = await wait(experiences);
      experiences = notReady;
      for (const xp of await get(finished)) updatePolicy(policy, xp);
    }
  }
  return policy;
}

describe('Learning Ray, chapter 3', () => {
  it('trains a policy with one simulation that walks the maze in 8 steps', () => {
    const environment = rl.makeEnv('Maze-v0');
    const trainedPolicy = trainPolicy(environment);
    expect(evaluatePolicy(environment, trainedPolicy)).toBe(8);
  });

  it('trains a policy with four SimulationActors sharing it through put and wait: 8 steps on average', { timeout: 120_000 }, async () => {
    const environment = rl.makeEnv('Maze-v0');
    const parallelPolicy = await trainPolicyParallel(environment, 1000, 4);
    expect(evaluatePolicy(environment, parallelPolicy)).toBe(8);
  });
});
