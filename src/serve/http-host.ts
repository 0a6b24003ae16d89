/**
 * Makes this page the host of `fetch('/serve/…')` for its origin: registers the Service Worker
 * (`/serve-sw.js`, scope `/`) and answers its messages. The worker keeps no state; it asks the
 * open pages on each request, and this page says it hosts while it runs applications.
 */
import { dispatchHttp, type HttpRequestIn } from './http-dispatch.ts';
import type { RunningApp } from './controller.ts';

interface SwMessage {
  type?: unknown;
  request?: HttpRequestIn;
}

let started: Promise<void> | undefined;

export function startHttpHost(apps: () => Iterable<RunningApp>, hasApps: () => boolean): Promise<void> {
  if (started) return started;
  const container = typeof navigator === 'undefined' ? undefined : navigator.serviceWorker;
  if (!container) return (started = Promise.resolve());
  container.addEventListener('message', (event: MessageEvent<SwMessage>) => {
    const port = event.ports[0];
    if (!port || typeof event.data !== 'object' || event.data === null) return;
    if (event.data.type === 'raybox-serve-probe') port.postMessage({ hosting: hasApps() });
    else if (event.data.type === 'raybox-serve-request' && isRequest(event.data.request)) {
      void dispatchHttp(apps(), event.data.request).then((answer) => port.postMessage(answer));
    }
  });
  // Messages to a page are held until it starts listening.
  container.startMessages();
  started = container.register('/serve-sw.js', { scope: '/' }).then(async () => {
    await container.ready;
    // The worker claims open pages when it activates; wait for this one, so its own fetch('/serve/…')
    // is answered too (a page loaded with Shift+Reload is never controlled: do not wait forever).
    if (!container.controller) {
      await new Promise<void>((resolve) => {
        container.addEventListener('controllerchange', () => resolve(), { once: true });
        setTimeout(resolve, 3000);
      });
    }
  });
  return started;
}

function isRequest(value: unknown): value is HttpRequestIn {
  const r = value as HttpRequestIn | undefined;
  return typeof r === 'object' && r !== null && typeof r.method === 'string' && typeof r.url === 'string' && typeof r.body === 'string' && typeof r.headers === 'object';
}
