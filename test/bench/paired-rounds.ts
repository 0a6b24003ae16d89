import { median, nextTask } from './measure.ts';

/**
 * A figure and its baseline measured in short alternating rounds, each round's ratio taken from
 * two runs a fraction of a second apart. On a shared VM the baseline itself drifts by half from
 * minute to minute (see FINDINGS), so a ratio of two medians taken minutes apart says more about
 * the host than about the code; the median of paired ratios does not. The order alternates
 * (baseline first in even rounds, the subject first in odd ones) so a trend within a round
 * favours neither.
 */

export interface PairedRoundsOptions {
  /** Rounds; the ratio is their median. @default 31 */
  rounds?: number;
  /** Length of each of the two runs of a round, ms. @default 250 */
  runMs?: number;
  /**
   * Untimed calls of each before the first round, ms: a fresh worker's code runs several times
   * slower until the engine has optimised it. @default 2000
   */
  warmupMs?: number;
}

export interface PairedRounds {
  /** Calls per second of the subject, each round, and their median. */
  subject: { unit: 'calls/s'; median: number; rounds: number[] };
  /** Calls per second of the baseline, each round, and their median. */
  baseline: { unit: 'calls/s'; median: number; rounds: number[] };
  /** Each round's subject rate over its baseline rate. */
  ratios: number[];
  ratioMedian: number;
  setup: Required<PairedRoundsOptions>;
}

/** Awaits `fn` one call at a time for `ms`, then returns calls per second. */
async function callsPerSecond(fn: () => Promise<unknown>, ms: number): Promise<number> {
  await nextTask();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    await fn();
    calls++;
    elapsed = performance.now() - start;
  }
  return calls / (elapsed / 1000);
}

/** Measures `subject` against `baseline` in alternating rounds; see the file's comment. */
export async function pairedRounds(subject: () => Promise<unknown>, baseline: () => Promise<unknown>, options: PairedRoundsOptions = {}): Promise<PairedRounds> {
  const setup = { rounds: options.rounds ?? 31, runMs: options.runMs ?? 250, warmupMs: options.warmupMs ?? 2000 };
  // Garbage of earlier work (the core bench puts 256 MiB arrays) is collected now, not in a round.
  (globalThis as { gc?: () => void }).gc?.();
  await callsPerSecond(baseline, setup.warmupMs);
  await callsPerSecond(subject, setup.warmupMs);
  const subjectRates: number[] = [];
  const baselineRates: number[] = [];
  for (let round = 0; round < setup.rounds; round++) {
    if (round % 2 === 0) {
      baselineRates.push(await callsPerSecond(baseline, setup.runMs));
      subjectRates.push(await callsPerSecond(subject, setup.runMs));
    } else {
      subjectRates.push(await callsPerSecond(subject, setup.runMs));
      baselineRates.push(await callsPerSecond(baseline, setup.runMs));
    }
  }
  const ratios = subjectRates.map((rate, i) => rate / (baselineRates[i] as number));
  return {
    subject: { unit: 'calls/s', median: median(subjectRates), rounds: subjectRates },
    baseline: { unit: 'calls/s', median: median(baselineRates), rounds: baselineRates },
    ratios,
    ratioMedian: median(ratios),
    setup,
  };
}
