import { RayboxError } from '../core/errors.ts';

/**
 * Loop guards, as CodePen and JS Bin have them. The cell compiler puts a call to the global
 * `LOOP_GUARD_NAME` at the top of every loop body in cell code (`globalThis.__rayboxLoop?.()`,
 * a no-op where it is not defined, as in the workers a function written in a cell is sent to).
 *
 * A loop that awaits lets the page handle clicks, so "Interrupt" sets the run's flag and the
 * next turn of the loop throws. A loop that never awaits holds the main thread: no click can be
 * handled until it ends. The guard sees that from a heartbeat timer that stopped beating: when
 * the page has not handled a timer for `budgetMs`, the loop is stopped with `LoopStoppedError`.
 */

/** The global the compiled cells call; no cell can mean it by chance. */
export const LOOP_GUARD_NAME = '__rayboxLoop';

/** A loop in a cell held the page for too long without a pause and was stopped. */
export class LoopStoppedError extends RayboxError {
  override readonly name = 'LoopStoppedError';
  constructor(seconds: number) {
    super(
      `A loop in this cell ran for ${seconds} s without a pause; the page could not respond, so it was stopped. ` +
        'Run long computations in a task (raybox.remote), or await inside the loop (e.g. await new Promise((r) => setTimeout(r))) so "Interrupt" can stop it.',
    );
  }
}

export interface LoopGuardOptions {
  /** How long the page may go without handling a timer before a loop is stopped. @default 5000 */
  budgetMs?: number;
  /** The clock (injected by tests). @default performance.now */
  now?: () => number;
}

/** Reads the clock only every this many turns: a loop turn must stay cheap. */
const CHECK_EVERY = 1024;
const BEAT_MS = 100;

export class LoopGuard {
  #budgetMs: number;
  #now: () => number;
  #lastBeat = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #turns = 0;

  constructor(options: LoopGuardOptions = {}) {
    this.#budgetMs = options.budgetMs ?? 5000;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Starts the heartbeat (while a cell runs); until `stop`, a loop without pauses is stopped. */
  start(): void {
    this.#lastBeat = this.#now();
    this.#timer ??= setInterval(() => (this.#lastBeat = this.#now()), BEAT_MS);
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * One turn of a loop. Throws `interruptError()` when `interrupted()` says so, and
   * `LoopStoppedError` when the heartbeat has been silent for longer than the budget.
   */
  turn(interrupted: () => boolean, interruptError: () => Error): void {
    if (interrupted()) throw interruptError();
    if (++this.#turns % CHECK_EVERY !== 0) return;
    if (this.#timer === undefined) return;
    const silent = this.#now() - this.#lastBeat;
    if (silent > this.#budgetMs) {
      // The next loop gets its own budget.
      this.#lastBeat = this.#now();
      throw new LoopStoppedError(Math.round(silent / 1000));
    }
  }
}
