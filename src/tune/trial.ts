import type { Result } from './result.ts';
import type { TrialView } from './schedulers/scheduler.ts';

export type TrialStatus = 'PENDING' | 'RUNNING' | 'PAUSED' | 'TERMINATED' | 'ERROR';

/** One trial as the tuner keeps it: config, status, results in order, last checkpoint. */
export class Trial implements TrialView {
  status: TrialStatus = 'PENDING';
  readonly results: Array<Record<string, unknown>> = [];
  checkpoint: unknown = null;
  /** The training iteration the checkpoint was reported at: a restart goes on from there. */
  checkpointIteration = 0;
  error: Error | null = null;
  nodeId: string | null = null;
  failures = 0;

  constructor(
    readonly trialId: string,
    public config: Record<string, unknown>,
  ) {}

  get lastResult(): Record<string, unknown> | null {
    return this.results[this.results.length - 1] ?? null;
  }

  toResult(): Result {
    return {
      trialId: this.trialId,
      config: this.config,
      metrics: this.lastResult ?? {},
      metricsHistory: [...this.results],
      checkpoint: this.checkpoint,
      error: this.error,
      nodeId: this.nodeId,
    };
  }
}
