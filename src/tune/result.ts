/** What one trial left: Ray's `Result`. */
export interface Result {
  trialId: string;
  config: Record<string, unknown>;
  /** The last reported result (with `trainingIteration`, `timeTotalS`, `trialId`, `config`). */
  metrics: Record<string, unknown>;
  /** Every reported result, in order. */
  metricsHistory: Array<Record<string, unknown>>;
  /** The last checkpoint reported, or null. */
  checkpoint: unknown;
  /** What the trainable threw, with its remote stack, or null. */
  error: Error | null;
  /** The node the trial last ran on. */
  nodeId: string | null;
}
