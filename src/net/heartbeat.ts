/** What a heartbeat needs of time; tests pass a fake one and move it by hand. */
export interface HeartbeatClock {
  now(): number;
  every(ms: number, tick: () => void): () => void;
}

/** The real clock: `Date.now` and `setInterval`. */
export const systemClock: HeartbeatClock = {
  now: () => Date.now(),
  every(ms, tick) {
    const timer = setInterval(tick, ms);
    return () => clearInterval(timer);
  },
};

export interface HeartbeatOptions {
  intervalMs: number;
  deadAfterMs: number;
  ping: () => void;
  dead: () => void;
  /** @default systemClock */
  clock?: HeartbeatClock;
}

/**
 * Declares the other side of a connection dead when it has been silent too long. Any message
 * counts as a sign of life; a ping goes out every `intervalMs` so an idle peer still answers.
 * Silence is checked on each tick, so death is declared at most `deadAfterMs + intervalMs`
 * after the last sign of life, and never before `deadAfterMs`.
 *
 * A tick that comes late means this side's own thread was busy (a long task, a starved tab):
 * the messages that arrived meanwhile are still queued behind the tick, so a late tick never
 * judges; the next one on time does, after they were read.
 */
export class Heartbeat {
  readonly #clock: HeartbeatClock;
  #lastHeard: number;
  #lastTick: number;
  #cancel: () => void;
  #stopped = false;

  constructor(options: HeartbeatOptions) {
    this.#clock = options.clock ?? systemClock;
    this.#lastHeard = this.#clock.now();
    this.#lastTick = this.#lastHeard;
    this.#cancel = this.#clock.every(options.intervalMs, () => {
      if (this.#stopped) return;
      const now = this.#clock.now();
      const late = now - this.#lastTick > 2 * options.intervalMs;
      this.#lastTick = now;
      if (!late && now - this.#lastHeard > options.deadAfterMs) {
        this.stop();
        options.dead();
        return;
      }
      options.ping();
    });
  }

  heard(): void {
    this.#lastHeard = this.#clock.now();
  }

  stop(): void {
    this.#stopped = true;
    this.#cancel();
  }
}

/** A joiner silent this long is dead: within 5 s of a crash, as the room promises. */
export const HEARTBEAT = { intervalMs: 1000, deadAfterMs: 3500 } as const;

/**
 * How long a joiner's sandbox may be silent on its node channel while its page still answers on
 * the control channel. The sandbox moves the large values (it keeps a task's big results and
 * serves them), and cloning 64 MiB there on a loaded machine held it for seconds, so its joiner
 * was dropped mid-transfer; a crashed or closed tab is still seen within 5 s on the control
 * channel (or at once, by its channels closing).
 */
export const SANDBOX_SILENT_MS = 30_000;
