/** What `trainer.fit()` returns: Ray Train's `Result`. */
export interface Result {
  /** Rank 0's last reported metrics (with `trainingIteration`). */
  metrics: Record<string, unknown>;
  /** Rank 0's reports in order, across restarts. */
  metricsHistory: Array<Record<string, unknown>>;
  /** The last reported checkpoint, or null. */
  checkpoint: unknown;
  /** The kept checkpoints with the metrics they came with, best first when a score attribute is set. */
  bestCheckpoints: Array<{ checkpoint: unknown; metrics: Record<string, unknown> }>;
  /** The error the run ended with (null when `fit()` resolved; `fit()` rejects otherwise). */
  error: Error | null;
  /** How many times the group restarted after a failure. */
  restarts: number;
  /**
   * What the workers' `allreduce` steps put on the wire (ports and DataChannels), summed over
   * workers and attempts, and what the same values weigh uncompressed (float32): the bytes
   * `gradientCompression` saved are `uncompressed - sent`.
   */
  allreduceBytes: { sent: number; uncompressed: number };
}
