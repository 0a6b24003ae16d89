/**
 * One bracket of synchronous HyperBand (Ray's `hyperband._Bracket`): up to `n` trials run to
 * milestone `r`; once every live trial has reached it, the best `ceil(n / eta)` go on to
 * `r · eta` and the rest stop, `s` times over.
 */
export class HyperBandBracket {
  /** Each live trial's last (time, score); null before its first result. */
  readonly live = new Map<string, { t: number; score: number } | null>();
  n: number;
  r: number;
  halves: number;
  readonly #maxT: number;
  readonly #eta: number;
  readonly #totalWork: number;
  #completedProgress = 0;

  constructor(
    readonly maxTrials: number,
    readonly initialT: number,
    maxT: number,
    eta: number,
    readonly s: number,
    readonly stopLastTrials: boolean,
  ) {
    this.n = maxTrials;
    this.r = initialT;
    this.halves = s;
    this.#maxT = maxT;
    this.#eta = eta;
    this.#totalWork = this.#calculateTotalWork(maxTrials, initialT, s);
  }

  /** Ray's `_calculate_total_work`: the iterations the bracket runs when it fills. */
  #calculateTotalWork(n: number, r: number, s: number): number {
    let work = 0;
    const cumulative = r;
    for (let i = 0; i <= s; i++) {
      work += Math.trunc(n) * Math.trunc(r);
      n = Math.ceil(n / this.#eta);
      r = Math.trunc(Math.min(r * this.#eta, this.#maxT - cumulative));
    }
    return work;
  }

  filled(): boolean {
    return this.live.size === this.n;
  }

  add(trialId: string): void {
    this.live.set(trialId, null);
  }

  update(trialId: string, t: number, score: number): void {
    const last = this.live.get(trialId)?.t ?? 0;
    this.#completedProgress += Math.max(0, t - last);
    this.live.set(trialId, { t, score });
  }

  /** Every live trial has reached the current milestone. */
  curIterDone(): boolean {
    return [...this.live.values()].every((v) => (v?.t ?? 0) >= this.r);
  }

  finished(): boolean {
    return this.stopLastTrials && this.halves === 0 && this.curIterDone();
  }

  /** The trial has not yet reached the current milestone (or the last round runs on without a limit). */
  continueTrial(trialId: string): boolean {
    if (!this.stopLastTrials && this.halves === 0) return true;
    return (this.live.get(trialId)?.t ?? 0) < this.r;
  }

  /** One halving: the milestone grows by eta, the best `ceil(n / eta)` are good, the others bad. */
  successiveHalving(): { good: string[]; bad: string[] } {
    if (this.halves === 0 && !this.stopLastTrials) return { good: [...this.live.keys()], bad: [] };
    this.halves--;
    this.n = Math.ceil(this.n / this.#eta);
    this.r = Math.trunc(Math.min(this.r * this.#eta, this.#maxT));
    // A stable sort by score, worst first, as Ray's `sorted`.
    const sorted = [...this.live.entries()].sort((a, b) => (a[1]?.score ?? -Infinity) - (b[1]?.score ?? -Infinity)).map(([id]) => id);
    const cut = Math.max(0, sorted.length - this.n);
    return { good: sorted.slice(cut), bad: sorted.slice(0, cut) };
  }

  completionPercentage(): number {
    if (this.finished()) return 1;
    return Math.min(this.#completedProgress / this.#totalWork, 1);
  }
}
