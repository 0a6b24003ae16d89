import type { FromWorker } from '../protocol/messages.ts';
import { checkToWorkerItems } from '../protocol/validate.ts';
import { WorkerLink } from '../workers/host/worker-link.ts';
import { DirectChannel, type RtcSignal } from './direct-channel.ts';
import { HeldObjects } from './held-objects.ts';
import { HEARTBEAT } from './heartbeat.ts';
import { PeerChannel } from './peer-channel.ts';
import { checkHeadToSandbox, type HeadToSandbox, type SandboxToHead } from './room-messages.ts';
import type { FromSandbox, JoinerActivity } from './sandbox-messages.ts';

export interface SandboxNodeOptions {
  nodeId: string;
  rtcConfig: RTCConfiguration;
  /** Starts one of the room's workers in this sandbox. */
  createWorker: (workerId: string) => Worker;
  /** To the joiner page around the sandbox. */
  report: (message: FromSandbox) => void;
}

/** The joiner page redraws its panel at most this often; a report per task would cost the hot path. */
const ACTIVITY_EVERY_MS = 100;

/**
 * A joiner's node, inside its sandbox iframe: it ends the data channel from the head and runs the
 * room's tasks in workers of this same page, so a task and its result cross no process boundary
 * on this side beyond the DataChannel itself. It keeps the large results its workers made
 * (HeldObjects) and hands them out when the head asks. What enters from the head is validated
 * here; the head validates what leaves.
 */
export class SandboxNode {
  readonly #options: SandboxNodeOptions;
  readonly #direct: DirectChannel;
  #channel: PeerChannel | undefined;
  #workers = new Map<string, WorkerLink>();
  #inFlight = new Set<string>();
  #finished = 0;
  #held = new HeldObjects();
  #activityTimer: ReturnType<typeof setTimeout> | undefined;
  #beat: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(options: SandboxNodeOptions) {
    this.#options = options;
    this.#direct = new DirectChannel('answer', options.rtcConfig, (signal) => options.report({ type: 'rtc', signal }));
    this.#direct.opened.then(
      (channel) => this.#attach(channel),
      (error: Error) => this.close(`the data channel to the head did not open: ${error.message}`),
    );
  }

  /** A signal from the head, relayed by the joiner page. */
  signal(signal: RtcSignal): void {
    void this.#direct.signal(signal);
  }

  close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const worker of this.#workers.values()) worker.terminate();
    this.#workers.clear();
    this.#held.clear();
    clearTimeout(this.#activityTimer);
    clearInterval(this.#beat);
    this.#channel?.close();
    this.#direct.close();
    this.#options.report({ type: 'closed', reason });
  }

  #attach(raw: RTCDataChannel): void {
    if (this.#closed) return;
    this.#channel = new PeerChannel(raw, {
      message: (value) => {
        const checked = checkHeadToSandbox(value);
        if (!checked.ok) return console.warn(`raybox: dropped a bad message from the head: ${checked.reason}`);
        this.#receive(checked.message);
      },
      invalid: (reason) => console.warn(`raybox: dropped a bad message from the head: ${reason}`),
      closed: () => this.close('the data channel to the head closed'),
    });
    // The head hears from this node every second unasked: an answer to a ping could queue behind
    // a large message the head is sending here, and the head would take the silence for death.
    this.#beat = setInterval(() => this.#send({ type: 'alive' }), HEARTBEAT.intervalMs);
    this.#options.report({ type: 'attached' });
  }

  #receive(message: HeadToSandbox): void {
    switch (message.type) {
      case 'spawn':
        return this.#spawn(message.workerId);
      case 'terminate':
        this.#workers.get(message.workerId)?.terminate();
        this.#workers.delete(message.workerId);
        return this.#activity();
      case 'work': {
        const worker = this.#workers.get(message.workerId);
        if (!worker) return;
        try {
          const items = this.#held.fillHeld(checkToWorkerItems(message.items));
          for (const item of items) {
            if (item.type === 'run' || item.type === 'callActor') this.#inFlight.add(item.taskId);
            worker.send(item);
          }
          this.#activity();
        } catch (error) {
          console.warn(`raybox: dropped bad work from the head: ${String(error)}`);
        }
        return;
      }
      case 'fetch': {
        const held = this.#held.get(message.objectId);
        return this.#send({
          type: 'object',
          objectId: message.objectId,
          found: held !== undefined,
          value: held?.value ?? null,
          special: held?.special ?? false,
          handlers: held?.handlers ?? null,
          size: held?.size ?? 0,
        });
      }
      case 'free':
        return this.#held.free(message.objectIds.filter((id): id is string => typeof id === 'string'));
    }
  }

  #spawn(workerId: string): void {
    if (this.#workers.has(workerId)) return;
    const link = new WorkerLink(workerId, this.#options.nodeId, () => this.#options.createWorker(workerId), {
      items: (items) => {
        this.#count(items);
        this.#send({ type: 'results', workerId, items: this.#held.keepLarge(items) });
      },
      died: (reason) => {
        this.#workers.delete(workerId);
        this.#send({ type: 'died', workerId, reason });
        this.#activity();
      },
    });
    this.#workers.set(workerId, link);
    void link
      .ready()
      .then(() => link.backend())
      .then(
        (backend) => this.#send({ type: 'spawned', workerId, backend }),
        () => undefined, // a worker that fails to start reports `died`
      );
    this.#activity();
  }

  #count(items: readonly FromWorker[]): void {
    for (const item of items) {
      if ((item.type === 'done' || item.type === 'failed') && this.#inFlight.delete(item.taskId)) {
        this.#finished++;
        this.#activity();
      }
    }
  }

  #activity(): void {
    if (this.#activityTimer !== undefined || this.#closed) return;
    this.#activityTimer = setTimeout(() => {
      this.#activityTimer = undefined;
      const activity: JoinerActivity = { workers: this.#workers.size, running: this.#inFlight.size, finished: this.#finished };
      this.#options.report({ type: 'activity', ...activity });
    }, ACTIVITY_EVERY_MS);
  }

  #send(message: SandboxToHead): void {
    this.#channel?.send(message);
  }
}
