import type { SchedulerDecision, TrialScheduler } from './scheduler.ts';

/**
 * Runs every trial to its end, in the order they were added (Ray's default scheduler).
 *
 * @example
 * new tune.FIFOScheduler()
 */
export class FIFOScheduler implements TrialScheduler {
  setSearchProperties(): void {}
  onTrialAdd(): void {}
  onTrialResult(): SchedulerDecision {
    return 'CONTINUE';
  }
  onTrialComplete(): void {}
}
