/**
 * Experiment state in the browser's real IndexedDB, and `Tuner.restore` with Ray's semantics:
 * finished trials kept, unfinished ones resumed from their checkpoint, failed ones kept, resumed
 * or restarted as the options say, and the searcher going on from its saved state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, shutdown, tune } from '../../src/index.ts';
import type { ResultGrid } from '../../src/tune/result-grid.ts';
import { deleteExperiment, loadExperiment, saveExperiment, type SavedExperiment, type SavedTrial } from '../../src/tune/experiment-store.ts';

beforeAll(async () => {
  await init({ numWorkers: 2 });
});
afterAll(async () => {
  await shutdown();
});

const trainable = async (config: Record<string, unknown>) => {
  const start = tune.getCheckpoint<{ step: number }>()?.step ?? 0;
  for (let step = start + 1; step <= 4; step++) await tune.report({ score: (config.x as number) * step, resumedFrom: start }, { checkpoint: { step } });
};

function result(name: string, i: number, x: number, step: number): Record<string, unknown> {
  return { score: x * step, resumedFrom: 0, trainingIteration: step, timeTotalS: 0, trialId: `${name}_0000${i}`, config: { x } };
}

/** An experiment interrupted part-way: one trial done, one running, one never started, one failed; the searcher had made 4 of 5. */
function interrupted(name: string): SavedExperiment {
  const trial = (i: number, status: SavedTrial['status'], steps: number, checkpointStep: number, error: string | null = null): SavedTrial => ({
    trialId: `${name}_0000${i}`,
    config: { x: i + 1 },
    status,
    results: Array.from({ length: steps }, (_, s) => result(name, i, i + 1, s + 1)),
    checkpoint: checkpointStep > 0 ? { step: checkpointStep } : null,
    checkpointIteration: checkpointStep,
    error: error === null ? null : { name: 'Error', message: error },
    nodeId: 'n0',
    failures: error === null ? 0 : 1,
  });
  return {
    name,
    savedAt: 0,
    finished: false,
    tuneConfig: { metric: 'score', mode: 'max', numSamples: 1, maxConcurrentTrials: 2 },
    runConfig: {},
    searcherState: { next: 4 },
    trials: [trial(0, 'TERMINATED', 4, 4), trial(1, 'RUNNING', 3, 2), trial(2, 'PENDING', 0, 0), trial(3, 'ERROR', 1, 1, 'boom')],
  };
}

const save = ({ trials, ...record }: SavedExperiment) => saveExperiment(record, trials);

const paramSpace = { x: tune.gridSearch([1, 2, 3, 4, 5]) };
const iterationsOf = (grid: ResultGrid) => [...grid].map((r) => r.metricsHistory.map((m) => m.trainingIteration));

describe('Tuner.restore', () => {
  it('saves a run to IndexedDB as it goes, finished, with its trials and searcher state', { timeout: 60_000 }, async () => {
    await deleteExperiment('saved-run');
    await new tune.Tuner(trainable, { paramSpace: { x: tune.gridSearch([1, 2]) }, tuneConfig: { metric: 'score', mode: 'max' }, runConfig: { name: 'saved-run', stop: { trainingIteration: 2 } } }).fit();
    const saved = await loadExperiment('saved-run');
    expect(saved?.finished).toBe(true);
    expect(saved?.searcherState).toEqual({ next: 2 });
    expect(saved?.runConfig.stop).toEqual({ trainingIteration: 2 });
    expect(saved?.trials.map((t) => [t.trialId, t.status, t.results.length, t.checkpoint])).toEqual([
      ['saved-run_00000', 'TERMINATED', 2, { step: 2 }],
      ['saved-run_00001', 'TERMINATED', 2, { step: 2 }],
    ]);
    // Restoring a finished experiment runs nothing again.
    const grid = await (await tune.Tuner.restore('saved-run', trainable)).fit();
    expect(iterationsOf(grid)).toEqual([
      [1, 2],
      [1, 2],
    ]);
  });

  it('keeps finished trials, resumes the unfinished from their checkpoints, keeps the failed, and goes on suggesting', { timeout: 60_000 }, async () => {
    await save(interrupted('cut-run'));
    const grid = await (await tune.Tuner.restore('cut-run', trainable, { paramSpace })).fit();
    const results = [...grid];
    expect(results.map((r) => r.config.x)).toEqual([1, 2, 3, 4, 5]);
    expect(iterationsOf(grid)).toEqual([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4], [1], [1, 2, 3, 4]]);
    // The running trial went on from its checkpoint at 2 (its result 3 from before was dropped).
    expect(results[1]?.metricsHistory.map((m) => m.resumedFrom)).toEqual([0, 0, 2, 2]);
    expect(results[2]?.metrics.resumedFrom).toBe(0);
    expect(results[3]?.error?.message).toBe('boom');
    expect(grid.numErrors).toBe(1);
    expect(results[4]?.trialId).toBe('cut-run_00004');
    expect((await loadExperiment('cut-run'))?.finished).toBe(true);
  });

  it('resumes failed trials from their checkpoint, or restarts them, when asked', { timeout: 60_000 }, async () => {
    await save(interrupted('cut-resume'));
    const resumed = [...(await (await tune.Tuner.restore('cut-resume', trainable, { paramSpace, resumeErrored: true })).fit())];
    expect(resumed[3]?.metricsHistory.map((m) => m.resumedFrom)).toEqual([0, 1, 1, 1]);
    expect(resumed[3]?.error).toBeNull();
    await save(interrupted('cut-restart'));
    const restarted = [...(await (await tune.Tuner.restore('cut-restart', trainable, { paramSpace, restartErrored: true })).fit())];
    expect(restarted[3]?.metricsHistory.map((m) => m.resumedFrom)).toEqual([0, 0, 0, 0]);
    // Without resumeUnfinished, the running trial is kept as it was.
    await save(interrupted('cut-keep'));
    const kept = [...(await (await tune.Tuner.restore('cut-keep', trainable, { paramSpace, resumeUnfinished: false })).fit())];
    expect(kept.map((r) => r.metricsHistory.length)).toEqual([4, 3, 0, 1, 4]);
  });

  it('says which experiments exist when the name is unknown', async () => {
    await expect(tune.Tuner.restore('no-such-run', trainable)).rejects.toThrow(/No experiment named 'no-such-run'.*saved-run/);
  });
});
