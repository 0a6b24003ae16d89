import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../src/index.ts';
import { runRlBench } from './rl-bench.page.ts';

afterAll(async () => {
  await shutdown();
});

// A smoke test of the benchmark's plumbing with a toy target: the shape of the result, never its times.
describe('runRlBench', () => {
  it('returns one run per env-runner count, each with its steps, times and learning curve', { timeout: 120_000 }, async () => {
    const result = await runRlBench({ numEnvRunners: [1], targetReturn: 25, maxEnvSteps: 20_000 });
    expect(result.runs).toHaveLength(1);
    const [run] = result.runs;
    expect(run).toMatchObject({ numEnvRunners: 1, numEnvsPerEnvRunner: 4, reached: true });
    expect(run!.envSteps.value % 2000).toBe(0);
    expect(run!.curve.at(-1)?.episodeReturnMean).toBeGreaterThanOrEqual(25);
    expect(run!.samplingEnvStepsPerSPerRunner.value).toBeGreaterThan(0);
    expect(result.setup.training).toMatchObject({ trainBatchSize: 2000 });
  });
});
