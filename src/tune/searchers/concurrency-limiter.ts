import { TuneConfigError } from '../errors.ts';
import type { SearchProperties, Searcher, Suggestion } from './searcher.ts';

/**
 * Lets at most `maxConcurrent` of a searcher's trials run at once (Ray's `ConcurrencyLimiter`),
 * so a model-based searcher learns from finished trials before it suggests more.
 *
 * @example
 * new tune.ConcurrencyLimiter(new tune.TPESearch({ seed: 0 }), { maxConcurrent: 2 })
 */
export class ConcurrencyLimiter implements Searcher {
  readonly #searcher: Searcher;
  readonly maxConcurrent: number;
  readonly #live = new Set<string>();

  constructor(searcher: Searcher, options: { maxConcurrent: number }) {
    if (!Number.isInteger(options.maxConcurrent) || options.maxConcurrent < 1) {
      throw new TuneConfigError(`ConcurrencyLimiter: maxConcurrent is ${options.maxConcurrent}; give a positive integer.`);
    }
    this.#searcher = searcher;
    this.maxConcurrent = options.maxConcurrent;
  }

  setSearchProperties(properties: SearchProperties): void {
    this.#searcher.setSearchProperties(properties);
  }

  suggest(trialId: string): Suggestion {
    if (this.#live.size >= this.maxConcurrent) return 'WAIT';
    const suggestion = this.#searcher.suggest(trialId);
    if (typeof suggestion === 'object') this.#live.add(trialId);
    return suggestion;
  }

  onTrialResult(trialId: string, result: Record<string, unknown>): void {
    this.#searcher.onTrialResult?.(trialId, result);
  }

  onTrialComplete(trialId: string, result: Record<string, unknown> | null, error: boolean): void {
    this.#live.delete(trialId);
    this.#searcher.onTrialComplete(trialId, result, error);
  }
}
