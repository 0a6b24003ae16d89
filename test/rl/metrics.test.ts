import { afterEach, describe, expect, it } from 'vitest';
import { EpisodeWindow, publishTrainResult, setMetricReporter, type TrainResult } from '../../src/rl/metrics.ts';

afterEach(() => setMetricReporter(null));

describe('EpisodeWindow.stats', () => {
  it('summarises the last 100 episodes only', () => {
    const window = new EpisodeWindow();
    window.add(Array.from({ length: 150 }, (_, i) => ({ return: i, length: 2 * i })));
    expect(window.count).toBe(100);
    expect(window.stats()).toEqual({ episodeReturnMean: 99.5, episodeReturnMax: 149, episodeReturnMin: 50, episodeLenMean: 199 });
  });

  it('is NaN before the first episode ends', () => {
    expect(Number.isNaN(new EpisodeWindow().stats().episodeReturnMean)).toBe(true);
  });
});

describe('publishTrainResult', () => {
  it('publishes finite statistics and the learner’s under learner/, stepped by iteration', () => {
    const rows: [string, number, Record<string, number>][] = [];
    setMetricReporter((source, step, values) => rows.push([source, step, values]));
    const result: TrainResult = {
      trainingIteration: 3,
      episodeReturnMean: 20,
      episodeReturnMax: 30,
      episodeReturnMin: Number.NaN,
      episodeLenMean: 20,
      numEpisodes: 2,
      numEnvStepsSampled: 100,
      numEnvStepsSampledLifetime: 300,
      timeThisIterS: 1,
      timeTotalS: 3,
      learner: { vfLoss: 0.5 },
    };
    publishTrainResult('PPO CartPole-v1', result);
    expect(rows).toEqual([
      ['PPO CartPole-v1', 3, { episodeReturnMean: 20, episodeReturnMax: 30, episodeLenMean: 20, numEnvStepsSampledLifetime: 300, 'learner/vfLoss': 0.5 }],
    ]);
  });

  it('never lets a failing reporter fail training', () => {
    setMetricReporter(() => {
      throw new Error('no runtime');
    });
    expect(() => publishTrainResult('x', { learner: {} } as TrainResult)).not.toThrow();
  });
});
