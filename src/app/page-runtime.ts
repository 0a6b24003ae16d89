import type * as Raybox from '../index.ts';
import type { PageRuntime } from '../ui/notebook-page.ts';

/**
 * The page's view of raybox: its event stream and nodes for the dashboard, and "Interrupt"'s way
 * to cancel a task by id (a ref made from the id names the task; `force` replaces the worker of a
 * task that is running, so even a busy loop stops).
 */
export function pageRuntime(raybox: typeof Raybox): PageRuntime {
  return {
    onEvent: (listener) => raybox.onEvent(listener),
    nodes: () => raybox.nodes(),
    cancelTask: (taskId) => raybox.cancel(new raybox.ObjectRef(taskId), { force: true }),
  };
}

/** Where the page is served from: `notebooks/<name>.json` are found relative to it. */
export function baseUrl(): string {
  return new URL(import.meta.env.BASE_URL, globalThis.location.href).toString();
}
