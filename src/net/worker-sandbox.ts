import type { RtcSignal } from './direct-channel.ts';
import { sandboxPageUrl } from './sandbox-page-url.ts';
import { checkFromSandbox, type FromSandbox, type JoinerActivity, type ToSandbox } from './sandbox-messages.ts';

/** What a joiner's sandbox reports to the joiner page. */
export interface SandboxEvents {
  /** Part of the data channel's opening, for the head. */
  signal(signal: RtcSignal): void;
  /** The head's data channel reached the sandbox: the node is in the room. */
  attached(): void;
  activity(activity: JoinerActivity): void;
  /** The sandbox lost the head, or could not start. */
  closed(reason: string): void;
}

/** Where a joiner runs the room's workers, and ends the head's data channel. */
export interface WorkerSandbox {
  start(nodeId: string, rtcConfig: RTCConfiguration): void;
  /** Part of the data channel's opening, from the head. */
  signal(signal: RtcSignal): void;
  destroy(): void;
}

/**
 * The room's code runs only here: workers inside an iframe with `sandbox="allow-scripts"` (an
 * opaque origin: no cookies, storage or DOM of the joiner's page) whose Content Security Policy
 * allows no network beyond the app's own files. The iframe's page is the joiner's node: tasks
 * and results go between it and the head over their own DataChannel, never through this page.
 */
export class IframeSandbox implements WorkerSandbox {
  #iframe: HTMLIFrameElement;
  #port: Promise<MessagePort>;
  #events: SandboxEvents;

  constructor(events: SandboxEvents, url = sandboxPageUrl()) {
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
        channel.port1.onmessage = (e: MessageEvent) => this.#fromSandbox(e.data);
        // An opaque origin has no name to target: '*' is the only way to reach it.
        this.#iframe.contentWindow?.postMessage({ type: 'raybox-sandbox-connect' }, '*', [channel.port2]);
        resolve(channel.port1);
      };
      window.addEventListener('message', onMessage);
    });
    this.#port.catch((error: Error) => events.closed(error.message));
    document.body.append(this.#iframe);
  }

  start(nodeId: string, rtcConfig: RTCConfiguration): void {
    this.#post({ type: 'start', nodeId, rtcConfig });
  }

  signal(signal: RtcSignal): void {
    this.#post({ type: 'rtc', signal });
  }

  /** What the sandbox says enters the joiner page here, and is checked before it goes anywhere. */
  #fromSandbox(data: unknown): void {
    const checked = checkFromSandbox(data);
    if (typeof checked === 'string') return console.warn(`raybox: dropped a bad message from the sandbox: ${checked}`);
    const message: FromSandbox = checked;
    switch (message.type) {
      case 'rtc':
        return this.#events.signal(message.signal);
      case 'attached':
        return this.#events.attached();
      case 'activity':
        return this.#events.activity({ workers: message.workers, running: message.running, finished: message.finished });
      case 'closed':
        return this.#events.closed(message.reason.slice(0, 200));
    }
  }

  destroy(): void {
    void this.#port.then((port) => port.close(), () => undefined);
    this.#iframe.remove();
  }

  #post(message: ToSandbox): void {
    void this.#port.then((port) => port.postMessage(message), () => undefined);
  }
}
