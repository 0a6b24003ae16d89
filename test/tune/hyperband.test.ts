/**
 * Synchronous HyperBand against Ray's bracket and rung rules, worked by hand: bracket sizes and
 * first milestones, trials paused at a milestone until their bracket has all reached it, the best
 * `ceil(n / eta)` resumed and the rest stopped.
 */
import { describe, expect, it } from 'vitest';
import { TuneConfigError } from '../../src/tune/errors.ts';
import { HyperBandScheduler } from '../../src/tune/schedulers/hyperband.ts';
import type { TrialView } from '../../src/tune/schedulers/scheduler.ts';

function view(trialId: string): TrialView {
  return { trialId, config: {}, checkpoint: null, lastResult: null };
}

/**
 * A small tuner: all trials are added first (as Ray adds pending trials), at most `slots` run at
 * once, each reporting its constant score once per round; a paused trial gives up its slot and
 * resumes where it paused (a checkpoint each iteration). Returns the iteration each trial ended at and the order of events.
 */
function simulate(hb: HyperBandScheduler, scores: Record<string, number>, slots: number, endsAt: Record<string, number> = {}) {
  const t: Record<string, number> = {};
  const ended: Record<string, number> = {};
  const events: string[] = [];
  const waiting = Object.keys(scores);
  for (const id of waiting) hb.onTrialAdd(view(id));
  const running: string[] = [];
  const end = (id: string, how: string) => {
    ended[id] = t[id] ?? 0;
    events.push(`${how} ${id}@${t[id] ?? 0}`);
  };
  for (let guard = 0; guard < 10_000; guard++) {
    for (const id of hb.takeStoppedPaused()) end(id, 'stop');
    while (running.length < slots) {
      const resumed = hb.choosePausedToResume();
      if (resumed !== null) {
        events.push(`resume ${resumed}@${t[resumed]}`);
        running.push(resumed);
        continue;
      }
      const next = waiting.shift();
      if (next === undefined) break;
      t[next] = 0;
      running.push(next);
    }
    if (running.length === 0) break;
    for (const id of [...running]) {
      t[id] = (t[id] ?? 0) + 1;
      if (endsAt[id] === t[id]) {
        running.splice(running.indexOf(id), 1);
        end(id, 'done');
        hb.onTrialComplete(view(id));
        continue;
      }
      const decision = hb.onTrialResult(view(id), { trainingIteration: t[id], score: scores[id] });
      if (decision === 'CONTINUE') continue;
      running.splice(running.indexOf(id), 1);
      if (decision === 'PAUSE') events.push(`pause ${id}@${t[id]}`);
      else {
        end(id, 'stop');
        hb.onTrialComplete(view(id));
      }
    }
  }
  return { ended, events };
}

describe('HyperBandScheduler', () => {
  it("sizes a band's brackets as Ray: ceil(sMax1 / (s + 1) · eta^s) trials from milestone floor(maxT · eta^-s)", () => {
    const hb = new HyperBandScheduler();
    expect(hb.sMax1).toBe(5);
    expect(hb.bandShape()).toEqual([
      [5, 81],
      [8, 27],
      [15, 9],
      [34, 3],
      [81, 1],
    ]);
    expect(new HyperBandScheduler({ maxT: 9, reductionFactor: 3 }).bandShape()).toEqual([
      [3, 9],
      [5, 3],
      [9, 1],
    ]);
  });

  it('fills bracket s = 0, 1, … of a band in turn, then opens a new band', () => {
    const hb = new HyperBandScheduler({ maxT: 9, reductionFactor: 3 });
    hb.setSearchProperties('score', 'max');
    for (let i = 0; i < 18; i++) hb.onTrialAdd(view(`T${i}`));
    expect(hb.bands.map((band) => band.map((b) => b?.live.size))).toEqual([[3, 5, 9], [1]]);
    expect(hb.bands[0]?.map((b) => b?.r)).toEqual([9, 3, 1]);
  });

  it('halves each bracket at its milestones: the best ceil(n / eta) go on, the others stop', () => {
    const hb = new HyperBandScheduler({ maxT: 9, reductionFactor: 3 });
    hb.setSearchProperties('score', 'max');
    const scores: Record<string, number> = {};
    for (let i = 0; i < 17; i++) scores[`T${i}`] = [5, 2, 8, 1, 9, 4, 7, 3, 6, 0, 11, 2, 5, 9, 1, 3, 7][i] as number;
    const { ended } = simulate(hb, scores, 4);
    // Bracket 0 (T0–T2, milestone 9, no halving): all run to maxT.
    expect([ended.T0, ended.T1, ended.T2]).toEqual([9, 9, 9]);
    // Bracket 1 (T3–T7: 1, 9, 4, 7, 3; milestone 3): the best ceil(5/3) = 2 (T4, T6) run to 9.
    expect([ended.T3, ended.T4, ended.T5, ended.T6, ended.T7]).toEqual([3, 9, 3, 9, 3]);
    // Bracket 2 (T8–T16: 6, 0, 11, 2, 5, 9, 1, 3, 7; milestone 1): the best 3 (T10, T13, T16) go on to 3,
    // then the best ceil(3/3) = 1 (T10) to 9.
    expect([8, 9, 10, 11, 12, 13, 14, 15, 16].map((i) => ended[`T${i}`])).toEqual([1, 1, 9, 1, 1, 3, 1, 1, 3]);
    expect(hb.numStopped).toBe(3 + 6 + 2);
  });

  it('pauses a trial at its milestone, giving up its slot, and resumes it after the halving', () => {
    const hb = new HyperBandScheduler({ maxT: 3, reductionFactor: 3 });
    hb.setSearchProperties('score', 'max');
    // sMax1 = 2: bracket 0 takes 2 trials to 3; bracket 1 takes ceil(2/2 · 3) = 3 trials from milestone 1.
    const { events } = simulate(hb, { A: 1, B: 2, C: 3, D: 1, E: 2 }, 2);
    expect(events).toEqual([
      'pause A@3',
      'stop B@3',
      'stop A@3',
      'pause C@1',
      'pause D@1',
      // E completes the rung: C (3) is the best ceil(3 / 3) = 1; E and the paused D stop.
      'stop E@1',
      'stop D@1',
      'resume C@1',
      'stop C@3',
    ]);
  });

  it("negates scores for mode 'min'", () => {
    const hb = new HyperBandScheduler({ maxT: 3, reductionFactor: 3 });
    hb.setSearchProperties('loss', 'min');
    hb.onTrialAdd(view('A'));
    hb.onTrialAdd(view('B'));
    for (const id of ['C', 'D', 'E']) hb.onTrialAdd(view(id));
    expect(hb.onTrialResult(view('C'), { trainingIteration: 1, loss: 3 })).toBe('PAUSE');
    expect(hb.onTrialResult(view('D'), { trainingIteration: 1, loss: 1 })).toBe('PAUSE');
    // E (loss 2) completes the rung: D, the lowest loss, goes on; C and E stop.
    expect(hb.onTrialResult(view('E'), { trainingIteration: 1, loss: 2 })).toBe('STOP');
    expect(hb.takeStoppedPaused()).toEqual(['C']);
    expect(hb.choosePausedToResume()).toBe('D');
  });

  it('halves a bracket when a trial ends early, so the paused ones do not wait for it', () => {
    const hb = new HyperBandScheduler({ maxT: 3, reductionFactor: 3 });
    hb.setSearchProperties('score', 'max');
    const { ended } = simulate(hb, { A: 5, B: 6, C: 1, D: 2, E: 3 }, 5, { E: 1 });
    // Bracket 1 (C, D, E): E ends before its first result; C and D then make the rung, D goes on.
    expect([ended.C, ended.D, ended.E]).toEqual([1, 3, 1]);
  });

  it('refuses a bad maxT or reductionFactor, and needs a metric and mode', () => {
    expect(() => new HyperBandScheduler({ maxT: 0 })).toThrow(TuneConfigError);
    expect(() => new HyperBandScheduler({ reductionFactor: 1 })).toThrow(TuneConfigError);
    expect(() => new HyperBandScheduler().setSearchProperties(undefined, undefined)).toThrow(/needs a metric and a mode/);
  });
});
