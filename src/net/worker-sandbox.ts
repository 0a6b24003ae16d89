import type { FromWorker, ToWorker } from '../protocol/messages.ts';

/** What a joiner's sandbox reports about its workers. */
export interface SandboxEvents {
  ready(workerId: string, backend: string | null): void;
  results(workerId: string, items: FromWorker[]): void;
  died(workerId: string, reason: string): void;
}

/** Messages between the joiner page and its sandbox iframe, over a MessagePort. */
export type ToSandbox =
  | { type: 'spawn'; workerId: string; nodeId: string }
  | { type: 'work'; workerId: string; items: ToWorker[] }
  | { type: 'terminate'; workerId: string };

export type FromSandbox =
  | { type: 'ready'; workerId: string; backend: string | null }
  | { type: 'results'; workerId: string; items: FromWorker[] }
  | { type: 'died'; workerId: string; reason: string };

/** Where a joiner runs the room's workers. */
export interface WorkerSandbox {
  spawn(workerId: string, nodeId: string): void;
  send(workerId: string, items: ToWorker[]): void;
  terminate(workerId: string): void;
  destroy(): void;
}

/**
 * The room's code runs only here: workers inside an iframe with `sandbox="allow-scripts"` (an
 * opaque origin: no cookies, storage or DOM of the joiner's page) whose Content Security Policy
 * allows no network beyond the app's own files.
 */
export class IframeSandbox implements WorkerSandbox {
  #iframe: HTMLIFrameElement;
  #port: Promise<MessagePort>;

  constructor(events: SandboxEvents, url = new URL(`${import.meta.env.BASE_URL}sandbox.html`, location.href).href) {
    this.#iframe = document.createElement('iframe');
    this.#iframe.setAttribute('sandbox', 'allow-scripts');
    this.#iframe.setAttribute('aria-hidden', 'true');
    this.#iframe.title = 'raybox room sandbox';
    this.#iframe.style.display = 'none';
    this.#iframe.src = url;
    this.#port = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the sandbox did not start within 15 s')), 15_000);
      const onMessage = (event: MessageEvent) => {
        if (event.source !== this.#iframe.contentWindow || (event.data as { type?: unknown })?.type !== 'raybox-sandbox-ready') return;
        window.removeEventListener('message', onMessage);
        clearTimeout(timer);
        const channel = new MessageChannel();
        channel.port1.onmessage = (e: MessageEvent) => dispatch(e.data as FromSandbox, events);
        // An opaque origin has no name to target: '*' is the only way to reach it.
        this.#iframe.contentWindow?.postMessage({ type: 'raybox-sandbox-connect' }, '*', [channel.port2]);
        resolve(channel.port1);
      };
      window.addEventListener('message', onMessage);
    });
    document.body.append(this.#iframe);
  }

  ready(): Promise<unknown> {
    return this.#port;
  }

  spawn(workerId: string, nodeId: string): void {
    this.#post({ type: 'spawn', workerId, nodeId });
  }

  send(workerId: string, items: ToWorker[]): void {
    this.#post({ type: 'work', workerId, items });
  }

  terminate(workerId: string): void {
    this.#post({ type: 'terminate', workerId });
  }

  destroy(): void {
    void this.#port.then((port) => port.close(), () => undefined);
    this.#iframe.remove();
  }

  #post(message: ToSandbox): void {
    void this.#port.then((port) => port.postMessage(message));
  }
}

function dispatch(message: FromSandbox, events: SandboxEvents): void {
  switch (message.type) {
    case 'ready':
      return events.ready(message.workerId, message.backend);
    case 'results':
      return events.results(message.workerId, message.items);
    case 'died':
      return events.died(message.workerId, message.reason);
  }
}
