/**
 * How many tasks of one function may wait in a worker behind the running one. Queuing hides the
 * message round trip for tiny tasks but makes long tasks wait behind each other while another
 * worker might free up, so the depth follows the function's measured run time: deep for
 * microsecond tasks, one (no queuing) for anything that takes milliseconds or is not yet measured.
 */
export class PipelineDepth {
  #meanMs = new Map<string, number>();
  /** Queue behind a worker about this much work, in milliseconds. */
  static readonly targetMs = 2;
  static readonly max = 256;

  record(fnId: string, durationMs: number): void {
    const previous = this.#meanMs.get(fnId);
    this.#meanMs.set(fnId, previous === undefined ? durationMs : previous * 0.9 + durationMs * 0.1);
  }

  of(fnId: string): number {
    const mean = this.#meanMs.get(fnId);
    if (mean === undefined) return 1;
    return Math.max(1, Math.min(PipelineDepth.max, Math.floor(PipelineDepth.targetMs / Math.max(mean, 0.001))));
  }
}
