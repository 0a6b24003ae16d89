/**
 * Serve's events on the runtime's event bus (the dashboard's Serve panel folds them). Nothing is
 * built while nobody listens, so requests cost no event when the dashboard is closed.
 */
import type { ServeEvent } from '../core/events.ts';
import { driver, isInitialized } from '../runtime/session.ts';

type Body<T> = T extends unknown ? Omit<T, 'type' | 'time'> : never;

/** Whether anyone listens; check it before building a per-request event. */
export function serveEventsWanted(): boolean {
  return isInitialized() && driver().events.wants('serve');
}

export function emitServe(event: Body<ServeEvent>): void {
  if (!serveEventsWanted()) return;
  driver().events.emit({ type: 'serve', time: Date.now(), ...event } as ServeEvent);
}
