import type { Rng } from '../../rl/env/random.ts';
import { createRng } from '../../rl/env/random.ts';

/** What a searcher is told about the experiment before its first suggestion. */
export interface SearchProperties {
  metric: string | undefined;
  mode: 'min' | 'max' | undefined;
  space: Record<string, unknown>;
  numSamples: number;
}

/** A suggestion, or why there is none right now. */
export type Suggestion = Record<string, unknown> | 'FINISHED' | 'WAIT';

/**
 * A search algorithm, as Ray's `Searcher`: the tuner asks it for configs and tells it the results.
 * `suggest` returns `'FINISHED'` when it has nothing more to give and `'WAIT'` when it needs a
 * running trial to end first (e.g. under a `ConcurrencyLimiter`).
 */
export interface Searcher {
  setSearchProperties(properties: SearchProperties): void;
  suggest(trialId: string): Suggestion;
  onTrialResult?(trialId: string, result: Record<string, unknown>): void;
  onTrialComplete(trialId: string, result: Record<string, unknown> | null, error: boolean): void;
  /** Searcher state for a restore. */
  getState?(): unknown;
  setState?(state: unknown): void;
}

/** A seeded random source, or an unseeded one drawn from Math.random. */
export function rngFor(seed: number | undefined): Rng {
  return createRng(seed ?? Math.floor(Math.random() * 2 ** 32));
}
