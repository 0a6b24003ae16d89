import { describe, expect, it } from 'vitest';
import { MazeEnv, ResetNeededError, makeEnv } from '../../../src/rl/env/index.ts';

const DOWN = 0;
const LEFT = 1;
const UP = 2;
const RIGHT = 3;

describe('MazeEnv (Learning Ray, chapter 3)', () => {
  it('declares Discrete(25) observations and Discrete(4) actions', () => {
    const env = new MazeEnv();
    expect(env.observationSpace).toEqual({ type: 'Discrete', n: 25 });
    expect(env.actionSpace).toEqual({ type: 'Discrete', n: 4 });
  });

  it('starts at (0, 0), observation 0, with the book\'s info', () => {
    const env = new MazeEnv();
    const { obs, info } = env.reset();
    expect(obs).toBe(0);
    expect(info).toEqual({ seeker: [0, 0], goal: [4, 4] });
    expect(env.seeker).toEqual([0, 0]);
  });

  it('reaches the goal in 8 steps with the optimal policy, paying 1 only there', () => {
    const env = new MazeEnv();
    env.reset();
    const path = [DOWN, DOWN, DOWN, DOWN, RIGHT, RIGHT, RIGHT, RIGHT];
    const results = path.map((action) => env.step(action));
    expect(results.map((r) => r.obs)).toEqual([5, 10, 15, 20, 21, 22, 23, 24]);
    expect(results.map((r) => r.reward)).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(results.map((r) => r.terminated)).toEqual([false, false, false, false, false, false, false, true]);
    expect(results.every((r) => !r.truncated)).toBe(true);
    expect(results.at(-1)?.info).toEqual({ seeker: [4, 4], goal: [4, 4] });
    expect(env.elapsedSteps).toBe(8);
  });

  it('maps each action to its direction: 0 down, 1 left, 2 up, 3 right', () => {
    const env = new MazeEnv();
    env.reset();
    expect(env.step(DOWN).obs).toBe(5); // (1, 0)
    expect(env.step(RIGHT).obs).toBe(6); // (1, 1)
    expect(env.step(UP).obs).toBe(1); // (0, 1)
    expect(env.step(LEFT).obs).toBe(0); // (0, 0)
  });

  it('clamps moves against the walls', () => {
    const env = new MazeEnv();
    env.reset();
    expect(env.step(UP)).toMatchObject({ obs: 0, reward: 0, terminated: false });
    expect(env.step(LEFT)).toMatchObject({ obs: 0, reward: 0, terminated: false });
    for (let i = 0; i < 6; i++) env.step(DOWN);
    expect(env.seeker).toEqual([4, 0]);
    expect(env.step(DOWN).obs).toBe(20);
    for (let i = 0; i < 3; i++) env.step(RIGHT);
    env.step(UP); // (3, 3)
    for (let i = 0; i < 3; i++) env.step(RIGHT);
    expect(env.seeker).toEqual([3, 4]);
    expect(env.step(RIGHT).obs).toBe(19);
  });

  it('truncates after 100 steps by default', () => {
    const env = new MazeEnv();
    env.reset();
    for (let step = 1; step < 100; step++) expect(env.step(UP).truncated).toBe(false);
    const last = env.step(UP);
    expect(last).toMatchObject({ obs: 0, reward: 0, terminated: false, truncated: true });
    expect(() => env.step(UP)).toThrow(ResetNeededError);
  });

  it('truncates at a configured maxEpisodeSteps, and never with Infinity', () => {
    const short = makeEnv('Maze-v0', { maxEpisodeSteps: 3 });
    short.reset();
    short.step(UP);
    short.step(UP);
    expect(short.step(UP).truncated).toBe(true);

    const endless = new MazeEnv({ maxEpisodeSteps: Infinity });
    endless.reset();
    for (let step = 0; step < 1000; step++) expect(endless.step(LEFT).truncated).toBe(false);
  });

  it('puts the seeker back at the start on reset', () => {
    const env = new MazeEnv();
    env.reset({ seed: 9 });
    env.step(DOWN);
    env.step(RIGHT);
    expect(env.reset().obs).toBe(0);
    expect(env.elapsedSteps).toBe(0);
  });
});
