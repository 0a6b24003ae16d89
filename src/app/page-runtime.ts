import type * as Raybox from '../index.ts';
import { driver } from '../runtime/session.ts';
import type { PageRuntime } from '../ui/notebook-page.ts';

/**
 * The page's view of raybox: its event stream and nodes for the dashboard, and the submission
 * contexts the kernel tags each cell's tasks with, so "Interrupt" cancels exactly that cell's tasks
 * (forcibly: a running one has its worker replaced, so even a busy loop stops).
 */
export function pageRuntime(raybox: typeof Raybox): PageRuntime {
  return {
    onEvent: (listener) => raybox.onEvent(listener),
    onEventBatch: (listener, options) => raybox.onEventBatch(listener, options),
    nodes: () => raybox.nodes(),
    objectStoreStats: () => raybox.objectStoreStats(),
    setSubmissionContext: (context) => driver().setSubmissionContext(context),
    cancelContext: (context) => driver().cancelContext(context),
    contextOf: (taskId) => driver().contextOf(taskId),
  };
}

/** Where the page is served from: `notebooks/<name>.json` are found relative to it. */
export function baseUrl(): string {
  return new URL(import.meta.env.BASE_URL, globalThis.location.href).toString();
}
