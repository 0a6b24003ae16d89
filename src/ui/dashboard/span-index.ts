import type { Span } from './timeline-model.ts';

/**
 * Closed spans indexed by time, so that a view of the timeline touches only the spans it shows.
 * Spans are kept in classes by duration (class k: durations below 2^k ms), each sorted by start.
 * In class k a span that overlaps [from, to] starts in [from − 2^k, to], so a query binary-searches
 * that range in each class and walks only it; the spans it walks that end just before `from` are
 * at most a few per lane. The index keeps at most `capacity` spans: adding one more forgets the one
 * that started first.
 */
export class SpanIndex {
  readonly capacity: number;
  #classes: SpanClass[] = [];
  #size = 0;
  /** Spans forgotten to keep the cap. */
  dropped = 0;

  constructor(capacity: number) {
    this.capacity = Math.max(1, Math.floor(capacity));
  }

  get size(): number {
    return this.#size;
  }

  add(span: Span): void {
    const k = classOf(span.end - span.start);
    while (this.#classes.length <= k) this.#classes.push(new SpanClass(2 ** this.#classes.length));
    this.#classes[k]?.insert(span);
    this.#size++;
    while (this.#size > this.capacity) this.#dropOldest();
  }

  /** The earliest start and the latest end of the kept spans; null when none. */
  bounds(): { start: number; end: number } | null {
    let start = Infinity;
    let end = -Infinity;
    for (const c of this.#classes) {
      const first = c.first();
      if (first) start = Math.min(start, first.start);
      end = Math.max(end, c.maxEnd);
    }
    return start === Infinity ? null : { start, end };
  }

  /** Calls `visit` for each kept span overlapping [from, to]; returns how many spans it looked at. */
  query(from: number, to: number, visit: (span: Span) => void): number {
    let touched = 0;
    for (const c of this.#classes) touched += c.query(from, to, visit);
    return touched;
  }

  /** Every kept span, by start (for export; O(size)). */
  all(): Span[] {
    const spans: Span[] = [];
    for (const c of this.#classes) c.each((s) => spans.push(s));
    return spans.sort((a, b) => a.start - b.start);
  }

  #dropOldest(): void {
    let oldest: SpanClass | undefined;
    for (const c of this.#classes) {
      const first = c.first();
      if (first && (!oldest || first.start < (oldest.first()?.start ?? Infinity))) oldest = c;
    }
    if (!oldest) return;
    oldest.shift();
    this.#size--;
    this.dropped++;
  }
}

/** Durations below 1 ms are class 0; below 2^k ms, class k. */
function classOf(duration: number): number {
  return duration < 1 ? 0 : Math.ceil(Math.log2(duration + 1));
}

/** Spans of one duration class (all shorter than `longest` ms), sorted by start; a deque. */
class SpanClass {
  readonly longest: number;
  #spans: Span[] = [];
  #head = 0;
  /** The latest end of any span ever added (a bound; only grows). */
  maxEnd = -Infinity;

  constructor(longest: number) {
    this.longest = longest;
  }

  first(): Span | undefined {
    return this.#spans[this.#head];
  }

  insert(span: Span): void {
    this.maxEnd = Math.max(this.maxEnd, span.end);
    // Spans arrive nearly in start order: the common case appends.
    let i = this.#spans.length;
    while (i > this.#head && (this.#spans[i - 1]?.start ?? -Infinity) > span.start) i--;
    if (i === this.#spans.length) this.#spans.push(span);
    else this.#spans.splice(i, 0, span);
  }

  shift(): void {
    this.#spans[this.#head] = undefined as unknown as Span;
    this.#head++;
    // Compact once the dead front is half the array: amortised O(1) per span.
    if (this.#head > 1024 && this.#head * 2 > this.#spans.length) {
      this.#spans = this.#spans.slice(this.#head);
      this.#head = 0;
    }
  }

  query(from: number, to: number, visit: (span: Span) => void): number {
    const spans = this.#spans;
    let touched = 0;
    for (let i = this.#lowerBound(from - this.longest); i < spans.length; i++) {
      const span = spans[i];
      if (!span || span.start > to) break;
      touched++;
      if (span.end >= from) visit(span);
    }
    return touched;
  }

  each(visit: (span: Span) => void): void {
    for (let i = this.#head; i < this.#spans.length; i++) {
      const span = this.#spans[i];
      if (span) visit(span);
    }
  }

  /** The first index at or after the head whose span starts at or after `time`. */
  #lowerBound(time: number): number {
    let lo = this.#head;
    let hi = this.#spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#spans[mid]?.start ?? Infinity) < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
