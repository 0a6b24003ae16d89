import { describe, expect, it } from 'vitest';
import { MountainCarEnv, contains } from '../../../src/rl/env/index.ts';

/** Gymnasium's MountainCarEnv.step transcribed on its own, in its own names. */
function gymnasiumMountainCarStep(state: number[], action: number): { state: number[]; terminated: boolean } {
  const min_position = -1.2;
  const max_position = 0.6;
  const max_speed = 0.07;
  const goal_position = 0.5;
  const goal_velocity = 0;
  const force = 0.001;
  const gravity = 0.0025;
  const np_clip = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);

  let [position = 0, velocity = 0] = state;
  velocity += (action - 1) * force + Math.cos(3 * position) * -gravity;
  velocity = np_clip(velocity, -max_speed, max_speed);
  position += velocity;
  position = np_clip(position, min_position, max_position);
  if (position === min_position && velocity < 0) velocity = 0;
  const terminated = position >= goal_position && velocity >= goal_velocity;
  return { state: [position, velocity], terminated };
}

/** Pushes in the direction of motion, which pumps energy into the oscillation. */
const pump = (obs: Float32Array): number => ((obs[1] ?? 0) >= 0 ? 2 : 0);

describe('MountainCarEnv.step', () => {
  it('matches Gymnasium\'s equations for a fixed action sequence', () => {
    const env = new MountainCarEnv();
    env.reset({ seed: 0 });
    let reference = [-0.5, 0.01];
    env.setState(reference);
    const actions = [0, 1, 2, 2, 2, 0, 0, 1, 2, 0, 2, 2, 1, 1, 0];
    for (const action of actions) {
      const expected = gymnasiumMountainCarStep(reference, action);
      const actual = env.step(action);
      expect(actual.obs).toBeInstanceOf(Float32Array);
      expected.state.forEach((value, i) => expect(actual.obs[i]).toBeCloseTo(value, 6));
      expect(env.state).toEqual(expected.state);
      expect(actual.reward).toBe(-1);
      expect(actual.terminated).toBe(expected.terminated);
      reference = expected.state;
    }
  });

  it('stops the car dead against the left wall', () => {
    const env = new MountainCarEnv();
    env.reset({ seed: 0 });
    env.setState([-1.19, -0.05]);
    const { obs } = env.step(0);
    expect(obs[0]).toBeCloseTo(-1.2, 6);
    expect(obs[1]).toBe(0);
  });

  it('clips the speed to 0.07', () => {
    const env = new MountainCarEnv();
    env.reset({ seed: 0 });
    env.setState([-0.5, 0.0695]);
    expect(env.step(2).obs[1]).toBeCloseTo(0.07, 6);
  });

  it('terminates at the flag only when not rolling back', () => {
    const env = new MountainCarEnv();
    env.reset({ seed: 0 });
    env.setState([0.49, 0.02]);
    const up = env.step(2);
    expect(up.terminated).toBe(true);
    expect(up.reward).toBe(-1);
    env.reset({ seed: 0 });
    env.setState([0.55, -0.01]);
    expect(env.step(0).terminated).toBe(false);
  });

  it('reaches the goal before step 200 with an energy-pumping policy', () => {
    for (let seed = 0; seed < 10; seed++) {
      const env = new MountainCarEnv();
      let { obs } = env.reset({ seed });
      let episodeReturn = 0;
      let steps = 0;
      for (;;) {
        const result = env.step(pump(obs));
        obs = result.obs;
        episodeReturn += result.reward;
        steps += 1;
        if (result.terminated || result.truncated) {
          expect(result.terminated).toBe(true);
          expect(result.truncated).toBe(false);
          break;
        }
      }
      expect(steps).toBeLessThan(200);
      expect(episodeReturn).toBe(-steps);
      expect(obs[0]).toBeGreaterThanOrEqual(0.5);
    }
  });

  it('truncates at step 200 when the car never gets up the hill', () => {
    const env = new MountainCarEnv();
    env.reset({ seed: 1 });
    for (let step = 1; step < 200; step++) {
      const result = env.step(1);
      expect(result.terminated || result.truncated).toBe(false);
    }
    expect(env.step(1)).toMatchObject({ terminated: false, truncated: true, reward: -1 });
  });
});

describe('MountainCarEnv.reset', () => {
  it('starts at rest in [-0.6, -0.4], reproducibly for a seed', () => {
    const env = new MountainCarEnv();
    for (let seed = 0; seed < 100; seed++) {
      const { obs } = env.reset({ seed });
      expect(obs[0]).toBeGreaterThanOrEqual(-0.6);
      expect(obs[0]).toBeLessThanOrEqual(-0.4);
      expect(obs[1]).toBe(0);
      expect(contains(env.observationSpace, obs)).toBe(true);
    }
    expect(new MountainCarEnv().reset({ seed: 8 }).obs).toEqual(new MountainCarEnv().reset({ seed: 8 }).obs);
  });

  it('declares Gymnasium\'s spaces', () => {
    const env = new MountainCarEnv();
    expect(env.actionSpace).toEqual({ type: 'Discrete', n: 3 });
    expect(env.observationSpace.shape).toEqual([2]);
    expect(env.observationSpace.low[0]).toBeCloseTo(-1.2, 6);
    expect(env.observationSpace.high[1]).toBeCloseTo(0.07, 6);
  });
});
