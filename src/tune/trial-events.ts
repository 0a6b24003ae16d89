import type { TrialStateEvent } from '../core/events.ts';
import { driver } from '../runtime/session.ts';
import type { Trial } from './trial.ts';

/** Result keys the trial table shows elsewhere (its own columns) or that are not metrics. */
const NOT_METRICS = new Set(['trialId', 'config', 'trainingIteration', 'done']);

/**
 * Puts a trial's state on the runtime's event stream, for the dashboard's trial table. Nothing
 * is built while nobody listens, so a headless run pays nothing.
 */
export function publishTrial(experiment: string, trial: Trial): void {
  let events;
  try {
    events = driver().events;
  } catch {
    // No runtime (a unit test of the tuner's parts): nobody to tell.
    return;
  }
  if (!events.wants('trial')) return;
  const last = trial.lastResult ?? {};
  const metrics: Record<string, number> = {};
  for (const [key, value] of Object.entries(last)) if (typeof value === 'number' && !NOT_METRICS.has(key)) metrics[key] = value;
  const event: TrialStateEvent = {
    type: 'trial',
    time: Date.now(),
    experiment,
    trialId: trial.trialId,
    status: trial.status,
    config: trial.config,
    metrics,
    iteration: typeof last.trainingIteration === 'number' ? last.trainingIteration : 0,
    nodeId: trial.nodeId,
  };
  if (trial.error) event.error = trial.error.message;
  events.emit(event);
}
