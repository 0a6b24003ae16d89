/**
 * Declares the other side of a connection dead when it has been silent too long. Any message
 * counts as a sign of life; a ping goes out every `intervalMs` so an idle peer still answers.
 */
export class Heartbeat {
  #lastHeard = Date.now();
  #timer: ReturnType<typeof setInterval>;

  constructor(options: { intervalMs: number; deadAfterMs: number; ping: () => void; dead: () => void }) {
    this.#timer = setInterval(() => {
      if (Date.now() - this.#lastHeard > options.deadAfterMs) {
        this.stop();
        options.dead();
        return;
      }
      options.ping();
    }, options.intervalMs);
  }

  heard(): void {
    this.#lastHeard = Date.now();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

/** A joiner silent this long is dead: within 5 s of a crash, as the room promises. */
export const HEARTBEAT = { intervalMs: 1000, deadAfterMs: 3500 } as const;
