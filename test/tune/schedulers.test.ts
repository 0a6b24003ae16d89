/**
 * Scheduler decisions on synthetic objectives whose trial ranking is known, checked against
 * Ray's rules worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { ASHAScheduler } from '../../src/tune/schedulers/asha.ts';
import { MedianStoppingRule } from '../../src/tune/schedulers/median-stopping.ts';
import { nanPercentile } from '../../src/tune/schedulers/percentile.ts';
import type { TrialScheduler, TrialView } from '../../src/tune/schedulers/scheduler.ts';
import { TuneConfigError } from '../../src/tune/errors.ts';

function view(trialId: string): TrialView {
  return { trialId, config: {}, checkpoint: null, lastResult: null };
}

/** Runs trials in lockstep, each reporting its constant score each iteration; returns where each stopped. */
function lockstep(scheduler: TrialScheduler, scores: Record<string, number>, maxIter: number, metric = 'score'): Record<string, number> {
  const live = Object.keys(scores).map(view);
  live.forEach((t) => scheduler.onTrialAdd(t));
  const stoppedAt: Record<string, number> = {};
  for (let t = 1; t <= maxIter && live.length > 0; t++) {
    for (const trial of [...live]) {
      const decision = scheduler.onTrialResult(trial, { trainingIteration: t, [metric]: scores[trial.trialId] });
      if (decision === 'STOP') {
        stoppedAt[trial.trialId] = t;
        live.splice(live.indexOf(trial), 1);
      }
    }
  }
  for (const trial of live) stoppedAt[trial.trialId] = maxIter;
  return stoppedAt;
}

describe('nanPercentile', () => {
  it('interpolates linearly like numpy and leaves NaN out', () => {
    expect(nanPercentile([1, 2, 3, 4], 75)).toBe(3.25);
    expect(nanPercentile([4, 1], 50)).toBe(2.5);
    expect(nanPercentile([Number.NaN, 2], 50)).toBe(2);
    expect(nanPercentile([], 50)).toBeUndefined();
  });
});

describe('ASHAScheduler', () => {
  it("places rungs at gracePeriod · reductionFactor^k, as Ray's defaults give 1, 4, 16, 64", () => {
    expect(new ASHAScheduler().milestones()).toEqual([[1, 4, 16, 64]]);
    expect(new ASHAScheduler({ maxT: 81, reductionFactor: 3, gracePeriod: 1, brackets: 3 }).milestones()).toEqual([
      [1, 3, 9, 27, 81],
      [3, 9, 27, 81],
      [9, 27, 81],
    ]);
  });

  it("stops the trials Ray's cut-off rule stops", () => {
    const asha = new ASHAScheduler({ maxT: 8, gracePeriod: 1, reductionFactor: 2 });
    asha.setSearchProperties('score', 'max');
    // Rung 1: A records 4; B (1) < 4 stops; C (3) ≥ median(4, 1) = 2.5 goes on; D (2) < median(4, 1, 3) = 3 stops.
    // Rung 2: A records 4; C (3) < 4 stops. A runs to maxT = 8.
    expect(lockstep(asha, { A: 4, B: 1, C: 3, D: 2 }, 20)).toEqual({ A: 8, B: 1, C: 2, D: 1 });
  });

  it("negates scores for mode 'min'", () => {
    const asha = new ASHAScheduler({ maxT: 8, gracePeriod: 1, reductionFactor: 2 });
    asha.setSearchProperties('loss', 'min');
    // Losses 1, 4, 2, 3 rank as the scores 4, 1, 3, 2 above.
    expect(lockstep(asha, { A: 1, B: 4, C: 2, D: 3 }, 20, 'loss')).toEqual({ A: 8, B: 1, C: 2, D: 1 });
  });

  it('lets every trial of a rising ranking go on to maxT', () => {
    const asha = new ASHAScheduler({ maxT: 16, gracePeriod: 1, reductionFactor: 4 });
    asha.setSearchProperties('score', 'max');
    expect(lockstep(asha, { A: 1, B: 2, C: 3, D: 4 }, 20)).toEqual({ A: 16, B: 16, C: 16, D: 16 });
  });

  it('takes metric and mode from the tuner, and refuses different ones', () => {
    expect(() => new ASHAScheduler({ metric: 'a' }).setSearchProperties('b', 'max')).toThrow(TuneConfigError);
    expect(() => new ASHAScheduler().setSearchProperties(undefined, undefined)).toThrow(/needs a metric and a mode/);
    expect(() => new ASHAScheduler({ reductionFactor: 1 })).toThrow(TuneConfigError);
  });
});

describe('MedianStoppingRule', () => {
  it("stops a trial whose best is below the median of the others' running means", () => {
    const rule = new MedianStoppingRule({ timeAttr: 'trainingIteration', gracePeriod: 1, minSamplesRequired: 2 });
    rule.setSearchProperties('score', 'max');
    // A and B finish first with running means 5 and 3 (median 4); C (best 1) stops at once, D (6) goes on.
    expect(lockstep(rule, { A: 5 }, 3)).toEqual({ A: 3 });
    expect(lockstep(rule, { B: 3 }, 3)).toEqual({ B: 3 });
    expect(lockstep(rule, { C: 1 }, 3)).toEqual({ C: 1 });
    expect(lockstep(rule, { D: 6 }, 3)).toEqual({ D: 3 });
  });

  it('waits for minSamplesRequired other trials', () => {
    const rule = new MedianStoppingRule({ timeAttr: 'trainingIteration', gracePeriod: 1, minSamplesRequired: 3 });
    rule.setSearchProperties('score', 'max');
    lockstep(rule, { A: 5 }, 3);
    lockstep(rule, { B: 3 }, 3);
    expect(lockstep(rule, { C: 1 }, 3)).toEqual({ C: 3 });
  });
});
