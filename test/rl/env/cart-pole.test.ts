import { describe, expect, it } from 'vitest';
import { CartPoleEnv, ResetNeededError, contains, createRng, makeEnv } from '../../../src/rl/env/index.ts';
import type { Rng } from '../../../src/rl/env/index.ts';

/**
 * Gymnasium's CartPoleEnv.step transcribed on its own, in its own variable names, so the
 * environment is checked against the published equations rather than against itself.
 */
function gymnasiumCartPoleStep(state: number[], action: number): { state: number[]; terminated: boolean } {
  const gravity = 9.8;
  const masscart = 1.0;
  const masspole = 0.1;
  const total_mass = masspole + masscart;
  const length = 0.5;
  const polemass_length = masspole * length;
  const force_mag = 10.0;
  const tau = 0.02;
  const theta_threshold_radians = (12 * 2 * Math.PI) / 360;
  const x_threshold = 2.4;

  let [x = 0, x_dot = 0, theta = 0, theta_dot = 0] = state;
  const force = action === 1 ? force_mag : -force_mag;
  const costheta = Math.cos(theta);
  const sintheta = Math.sin(theta);
  const temp = (force + polemass_length * theta_dot ** 2 * sintheta) / total_mass;
  const thetaacc = (gravity * sintheta - costheta * temp) / (length * (4.0 / 3.0 - (masspole * costheta ** 2) / total_mass));
  const xacc = temp - (polemass_length * thetaacc * costheta) / total_mass;
  x = x + tau * x_dot;
  x_dot = x_dot + tau * xacc;
  theta = theta + tau * theta_dot;
  theta_dot = theta_dot + tau * thetaacc;
  const terminated =
    x < -x_threshold || x > x_threshold || theta < -theta_threshold_radians || theta > theta_threshold_radians;
  return { state: [x, x_dot, theta, theta_dot], terminated };
}

/** Steps `env` with `policy` until the episode ends; returns the number of steps and the last result. */
function runEpisode(env: CartPoleEnv, policy: (obs: Float32Array) => number, seed: number) {
  let { obs } = env.reset({ seed });
  for (let steps = 1; ; steps++) {
    const result = env.step(policy(obs));
    obs = result.obs;
    if (result.terminated || result.truncated) return { steps, result };
  }
}

/** A PD controller on the pole, with a little feedback on the cart to keep it near the centre. */
const balance = (obs: Float32Array): number => {
  const [x = 0, xDot = 0, theta = 0, thetaDot = 0] = obs;
  return 0.05 * x + 0.1 * xDot + theta + 0.5 * thetaDot > 0 ? 1 : 0;
};

describe('CartPoleEnv.step', () => {
  it('matches Gymnasium\'s equations step for step and terminates on the same step', () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    const start = [0.01, -0.02, 0.03, 0.04];
    env.setState(start);
    // A fixed, irregular sequence that wobbles the pole, then pushes one way until it falls.
    const actions = [1, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, ...new Array<number>(200).fill(1)];
    let reference = start;
    let steps = 0;
    for (const action of actions) {
      const expected = gymnasiumCartPoleStep(reference, action);
      const actual = env.step(action);
      steps += 1;
      expect(actual.obs).toBeInstanceOf(Float32Array);
      expect(actual.obs).toHaveLength(4);
      expected.state.forEach((value, i) => expect(actual.obs[i]).toBeCloseTo(value, 6));
      // Inside, the state is float64 and equals the reference exactly, not just to float32.
      expect(env.state).toEqual(expected.state);
      expect(actual.terminated).toBe(expected.terminated);
      expect(actual.reward).toBe(1);
      reference = expected.state;
      if (expected.terminated) break;
    }
    expect(steps).toBeGreaterThan(16);
    expect(steps).toBeLessThan(actions.length);
  });

  it('pays reward 1 on the terminating step', () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 3 });
    env.setState([0, 0, 0.25, 0]); // past 12 degrees (0.209 rad) already, so the next step terminates
    const result = env.step(1);
    expect(result.terminated).toBe(true);
    expect(result.truncated).toBe(false);
    expect(result.reward).toBe(1);
  });

  it('terminates when the cart leaves the track on either side', () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    env.setState([2.39, 1, 0, 0]); // x becomes 2.41
    expect(env.step(1).terminated).toBe(true);
    env.reset({ seed: 0 });
    env.setState([-2.39, -1, 0, 0]);
    expect(env.step(0).terminated).toBe(true);
    env.reset({ seed: 0 });
    env.setState([2.3, 1, 0, 0]); // x becomes 2.32: still on the track
    expect(env.step(1).terminated).toBe(false);
  });

  it('terminates just past 12 degrees and not before', () => {
    const threshold = (12 * 2 * Math.PI) / 360;
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    env.setState([0, 0, threshold - 0.001, 0.1]); // theta += 0.002
    expect(env.step(1).terminated).toBe(true);
    env.reset({ seed: 0 });
    env.setState([0, 0, -threshold + 0.003, -0.1]);
    expect(env.step(0).terminated).toBe(false);
  });

  it('is kept up by a balancing controller until truncation at exactly step 500', () => {
    for (const seed of [0, 1, 2, 3, 4]) {
      const env = new CartPoleEnv();
      let { obs } = env.reset({ seed });
      for (let step = 1; step <= 500; step++) {
        const result = env.step(balance(obs));
        obs = result.obs;
        expect(result.terminated).toBe(false);
        expect(result.truncated).toBe(step === 500);
        expect(result.reward).toBe(1);
      }
      expect(env.elapsedSteps).toBe(500);
      expect(() => env.step(0)).toThrow(ResetNeededError);
    }
  });

  it('falls within a few dozen steps when always pushed the same way', () => {
    const { steps, result } = runEpisode(new CartPoleEnv(), () => 1, 11);
    expect(result.terminated).toBe(true);
    expect(result.reward).toBe(1);
    expect(steps).toBeLessThan(40);
  });

  it('truncates at the configured maxEpisodeSteps', () => {
    const env = makeEnv('CartPole-v1', { maxEpisodeSteps: 20 });
    let { obs } = env.reset({ seed: 0 });
    let steps = 0;
    for (;;) {
      const result = env.step(balance(obs as Float32Array));
      obs = result.obs;
      steps += 1;
      if (result.terminated || result.truncated) {
        expect(result.truncated).toBe(true);
        break;
      }
    }
    expect(steps).toBe(20);
  });

  it('throws after the episode has ended, telling the caller to reset', () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    env.setState([0, 0, 0.5, 0]);
    expect(env.step(0).terminated).toBe(true);
    expect(() => env.step(0)).toThrow(/reset\(\)/);
    env.reset();
    expect(() => env.step(0)).not.toThrow();
  });
});

describe('CartPoleEnv.reset', () => {
  it('gives the same start state for the same seed', () => {
    const a = new CartPoleEnv().reset({ seed: 42 }).obs;
    const b = new CartPoleEnv().reset({ seed: 42 }).obs;
    const c = new CartPoleEnv().reset({ seed: 43 }).obs;
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('draws every state variable from [-0.05, 0.05]', () => {
    const env = new CartPoleEnv();
    for (let seed = 0; seed < 200; seed++) {
      const { obs, info } = env.reset({ seed });
      expect(info).toEqual({});
      for (const value of obs) {
        expect(Math.abs(value)).toBeLessThanOrEqual(0.05);
      }
      expect(contains(env.observationSpace, obs)).toBe(true);
    }
  });

  it('carries on the seeded stream when reset without a seed', () => {
    const env = new CartPoleEnv();
    const first = env.reset({ seed: 5 }).obs;
    const second = env.reset().obs;
    const again = new CartPoleEnv();
    again.reset({ seed: 5 });
    expect(second).not.toEqual(first);
    expect(again.reset().obs).toEqual(second);
  });

  it('draws from an injected random source', () => {
    const midpoint: Rng = { next: () => 0.5, uniform: (lo, hi) => (lo + hi) / 2, int: () => 0 };
    const env = new CartPoleEnv({ rng: midpoint });
    expect(Array.from(env.reset().obs)).toEqual([0, 0, 0, 0]);
    // A seed replaces the injected source with a seeded one.
    expect(Array.from(env.reset({ seed: 1 }).obs)).not.toEqual([0, 0, 0, 0]);
    expect(createRng(1).uniform(-0.05, 0.05)).toBeCloseTo(env.state?.[0] ?? NaN, 12);
  });
});

describe('CartPoleEnv spaces', () => {
  it('declares Gymnasium\'s spaces', () => {
    const env = new CartPoleEnv();
    expect(env.actionSpace).toEqual({ type: 'Discrete', n: 2 });
    expect(env.observationSpace.type).toBe('Box');
    expect(env.observationSpace.shape).toEqual([4]);
    expect(env.observationSpace.high[0]).toBeCloseTo(4.8, 6);
    expect(env.observationSpace.high[1]).toBe(Infinity);
    expect(env.observationSpace.high[2]).toBeCloseTo((24 * 2 * Math.PI) / 360, 6);
    expect(env.observationSpace.low[3]).toBe(-Infinity);
  });

  it('rejects a malformed state in setState', () => {
    const env = new CartPoleEnv();
    expect(() => env.setState([0, 0, 0])).toThrow(RangeError);
    expect(() => env.setState([0, 0, NaN, 0])).toThrow(/four finite numbers/);
  });
});
