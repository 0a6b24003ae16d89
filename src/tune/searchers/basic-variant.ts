import type { Rng } from '../../rl/env/random.ts';
import { gridPoints, resolveConfig } from '../search-space.ts';
import { rngFor, type SearchProperties, type Searcher, type Suggestion } from './searcher.ts';

/**
 * Ray's default searcher: the grid crossed, the whole grid repeated `numSamples` times, each
 * random domain drawn afresh for every trial. Grid trials come in the order the grid lists them.
 *
 * @example
 * new tune.BasicVariantGenerator({ seed: 0 })
 */
export class BasicVariantGenerator implements Searcher {
  #rng: Rng;
  #space: Record<string, unknown> = {};
  #points: ReturnType<typeof gridPoints> = [[]];
  #total = 0;
  #next = 0;

  constructor(options: { seed?: number } = {}) {
    this.#rng = rngFor(options.seed);
  }

  setSearchProperties({ space, numSamples }: SearchProperties): void {
    this.#space = space;
    this.#points = gridPoints(space);
    this.#total = this.#points.length * numSamples;
  }

  /** How many trials this generator makes in all. */
  get totalTrials(): number {
    return this.#total;
  }

  suggest(_trialId?: string): Suggestion {
    if (this.#next >= this.#total) return 'FINISHED';
    const point = this.#points[this.#next % this.#points.length] ?? [];
    this.#next++;
    return resolveConfig(this.#space, point, this.#rng);
  }

  onTrialComplete(): void {}

  getState(): unknown {
    return { next: this.#next };
  }

  setState(state: unknown): void {
    this.#next = (state as { next: number }).next;
  }
}
