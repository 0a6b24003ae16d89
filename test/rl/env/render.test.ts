import { describe, expect, it } from 'vitest';
import { CartPoleEnv, makeEnv } from '../../../src/rl/env/index.ts';
import type { Env } from '../../../src/rl/env/index.ts';
import { fakeCanvasContext } from './fake-canvas-context.ts';

const BUILT_INS = ['CartPole-v1', 'Maze-v0', 'MountainCar-v0'];

/** Every number passed to a drawing call, to catch NaN or Infinity reaching the canvas. */
function drawnNumbers(calls: { args: unknown[] }[]): number[] {
  return calls.flatMap((call) => call.args.filter((arg): arg is number => typeof arg === 'number'));
}

function renderOnce(env: Env, width: number, height: number) {
  const { ctx, calls } = fakeCanvasContext(width, height);
  env.render(ctx);
  return calls;
}

describe('Env.render', () => {
  it.each(BUILT_INS)('%s draws before the first reset', (id) => {
    const calls = renderOnce(makeEnv(id), 600, 400);
    expect(calls.length).toBeGreaterThan(0);
    expect(drawnNumbers(calls).every(Number.isFinite)).toBe(true);
  });

  it.each(BUILT_INS)('%s draws during an episode, filling the canvas and balancing save/restore', (id) => {
    const env = makeEnv(id);
    env.reset({ seed: 0 });
    env.step(1);
    const calls = renderOnce(env, 300, 300);
    const methods = calls.map((call) => call.method);
    expect(methods).toContain('fillRect');
    expect(calls.find((call) => call.method === 'fillRect')?.args).toEqual([0, 0, 300, 300]);
    expect(methods.filter((m) => m === 'save')).toHaveLength(methods.filter((m) => m === 'restore').length);
    expect(drawnNumbers(calls).every(Number.isFinite)).toBe(true);
  });

  it('scales CartPole to the canvas: the cart sits in the middle at x = 0, at the edge at x = 2.4', () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    const cartCentre = (x: number): { centre: number; width: number } => {
      env.setState([x, 0, 0, 0]);
      const cart = renderOnce(env, 1200, 800).filter((call) => call.method === 'fillRect')[1];
      const [left = NaN, , width = NaN] = (cart?.args ?? []) as number[];
      return { centre: left + width / 2, width };
    };
    expect(cartCentre(0)).toEqual({ centre: 600, width: 100 });
    expect(cartCentre(2.4).centre).toBeCloseTo(1200, 6);
    expect(cartCentre(-2.4).centre).toBeCloseTo(0, 6);
  });

  it('draws the maze seeker in the goal cell once it gets there', () => {
    const env = makeEnv('Maze-v0');
    env.reset();
    for (const action of [0, 0, 0, 0, 3, 3, 3, 3]) env.step(action);
    const calls = renderOnce(env, 500, 500);
    const seeker = calls.filter((call) => call.method === 'arc').at(-1);
    expect(seeker?.args.slice(0, 2)).toEqual([450, 450]);
  });

  it('every built-in renders on a tiny canvas too', () => {
    for (const id of BUILT_INS) {
      const env = makeEnv(id);
      env.reset({ seed: 3 });
      expect(() => renderOnce(env, 1, 1)).not.toThrow();
      env.close();
    }
  });
});
