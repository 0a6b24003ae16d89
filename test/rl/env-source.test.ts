import { describe, expect, it } from 'vitest';
import { envSpec, makeEnvFromSpec, registerEnv } from '../../src/rl/env-source.ts';
import { makeEnv } from '../../src/rl/env/index.ts';

describe('registerEnv and envSpec', () => {
  it('records the creator’s source, and a spec carries it; built-ins travel by id alone', () => {
    registerEnv('Flat-v0', (config) => ({
      observationSpace: { type: 'Discrete', n: 1 },
      actionSpace: { type: 'Discrete', n: 1 },
      reset: () => ({ obs: 0, info: { config } }),
      step: () => ({ obs: 0, reward: 1, terminated: true, truncated: false, info: {} }),
      render: () => {},
      close: () => {},
    }));
    const spec = envSpec('Flat-v0', { level: 2 });
    expect(spec.creatorSource).toMatch(/reward: 1/);
    expect(makeEnv('Flat-v0').step(0).reward).toBe(1);
    expect(envSpec('CartPole-v1')).toEqual({ id: 'CartPole-v1', config: {} });
  });
});

describe('makeEnvFromSpec', () => {
  it('compiles and registers a creator it receives as source (what a runner worker does)', () => {
    const creatorSource = `(config) => ({
      observationSpace: { type: 'Discrete', n: 3 },
      actionSpace: { type: 'Discrete', n: 2 },
      reset: () => ({ obs: config.start, info: {} }),
      step: () => ({ obs: 0, reward: 0, terminated: true, truncated: false, info: {} }),
      render() {},
      close() {},
    })`;
    const env = makeEnvFromSpec({ id: 'Shipped-v0', config: { start: 2 }, creatorSource });
    expect(env.reset().obs).toBe(2);
    // Registered in this realm now, by id.
    expect(makeEnv('Shipped-v0', { start: 1 }).reset().obs).toBe(1);
  });

  it('explains a creator that used variables of the code that registered it', () => {
    const creatorSource = '() => new NotHere()';
    expect(() => makeEnvFromSpec({ id: 'Missing-v0', config: {}, creatorSource })).toThrow(
      /Env creators run in env-runner workers as source text and cannot see variables/,
    );
  });
});
