/**
 * Asks for a redraw at most once per animation frame and at most once per `intervalMs`. The
 * dashboard is a view for people: a few redraws a second read as live, while each redraw makes the
 * browser restyle, lay out and paint, which on a busy page costs the main thread (and so the
 * messages that complete tasks) more than the drawing code itself.
 */
export class DrawThrottle {
  /** May change between redraws (the dashboard slows down while events stream in). */
  intervalMs: number;
  #draw: () => void;
  #now: () => number;
  #frame = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #last = -Infinity;

  constructor(draw: () => void, intervalMs: number, now: () => number = () => performance.now()) {
    this.#draw = draw;
    this.intervalMs = intervalMs;
    this.#now = now;
  }

  schedule(): void {
    if (this.#frame !== 0 || this.#timer !== undefined) return;
    const wait = this.#last + this.intervalMs - this.#now();
    if (wait <= 0) this.#requestFrame();
    else this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#requestFrame();
    }, wait);
  }

  cancel(): void {
    if (this.#frame !== 0) cancelAnimationFrame(this.#frame);
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#frame = 0;
    this.#timer = undefined;
  }

  #requestFrame(): void {
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#last = this.#now();
      this.#draw();
    });
  }
}
