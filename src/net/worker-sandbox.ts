import { PROTOCOL_VERSION, type FromWorker, type ToWorker } from '../protocol/messages.ts';
import { decodeFromWorker } from '../protocol/validate.ts';

/** What a joiner's sandbox reports about its workers. */
export interface SandboxEvents {
  ready(workerId: string, backend: string | null): void;
  results(workerId: string, items: FromWorker[]): void;
  died(workerId: string, reason: string): void;
}

/**
 * Messages between the joiner page and its sandbox iframe, over a MessagePort. Each worker's
 * tasks and results do not pass here: the sandbox hands the page a port straight to the worker.
 */
export type ToSandbox = { type: 'spawn'; workerId: string; nodeId: string } | { type: 'terminate'; workerId: string };

export type FromSandbox =
  | { type: 'port'; workerId: string }
  | { type: 'ready'; workerId: string; backend: string | null }
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
  /** Each worker's data port, once the sandbox has handed it over; items wait for it. */
  #workers = new Map<string, { port?: MessagePort; waiting: ToWorker[] }>();
  #events: SandboxEvents;

  constructor(events: SandboxEvents, url = new URL(`${import.meta.env.BASE_URL}sandbox.html`, location.href).href) {
    this.#events = events;
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
        channel.port1.onmessage = (e: MessageEvent) => this.#fromSandbox(e.data as FromSandbox, e.ports[0]);
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
    this.#workers.set(workerId, { waiting: [] });
    this.#post({ type: 'spawn', workerId, nodeId });
  }

  send(workerId: string, items: ToWorker[]): void {
    const worker = this.#workers.get(workerId);
    if (!worker) return;
    if (worker.port) worker.port.postMessage({ v: PROTOCOL_VERSION, items });
    else worker.waiting.push(...items);
  }

  terminate(workerId: string): void {
    this.#workers.get(workerId)?.port?.close();
    this.#workers.delete(workerId);
    this.#post({ type: 'terminate', workerId });
  }

  #fromSandbox(message: FromSandbox, port: MessagePort | undefined): void {
    switch (message.type) {
      case 'port': {
        const worker = this.#workers.get(message.workerId);
        if (!worker || !port) return;
        worker.port = port;
        port.onmessage = (event: MessageEvent) => this.#fromWorker(message.workerId, event.data);
        if (worker.waiting.length > 0) port.postMessage({ v: PROTOCOL_VERSION, items: worker.waiting });
        worker.waiting = [];
        return;
      }
      case 'ready':
        return this.#events.ready(message.workerId, message.backend);
      case 'died':
        this.#workers.delete(message.workerId);
        return this.#events.died(message.workerId, message.reason);
    }
  }

  /** What a worker sends enters the joiner page here, and is checked before it goes anywhere. */
  #fromWorker(workerId: string, data: unknown): void {
    let items: FromWorker[];
    try {
      items = decodeFromWorker(data);
    } catch (error) {
      console.warn(`raybox: dropped a bad message from sandbox worker ${workerId}: ${String(error)}`);
      return;
    }
    this.#events.results(workerId, items);
    if (items.some((item) => item.type === 'closing')) {
      this.terminate(workerId);
      this.#events.died(workerId, 'the worker closed itself');
    }
  }

  destroy(): void {
    void this.#port.then((port) => port.close(), () => undefined);
    this.#iframe.remove();
  }

  #post(message: ToSandbox): void {
    void this.#port.then((port) => port.postMessage(message));
  }
}
