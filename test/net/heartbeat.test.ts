import { describe, expect, it } from 'vitest';
import { Heartbeat, HEARTBEAT, type HeartbeatClock } from '../../src/net/heartbeat.ts';

/** A clock that moves only when the test says so; each tick fires in order as time passes it. */
class FakeClock implements HeartbeatClock {
  #now = 0;
  #timers = new Set<{ ms: number; next: number; tick: () => void }>();

  now(): number {
    return this.#now;
  }

  every(ms: number, tick: () => void): () => void {
    const timer = { ms, next: this.#now + ms, tick };
    this.#timers.add(timer);
    return () => this.#timers.delete(timer);
  }

  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = [...this.#timers].filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      this.#now = due.next;
      due.next += due.ms;
      due.tick();
    }
    this.#now = end;
  }

  /** This thread was busy for `ms`: each timer fires once, late, and is rescheduled from now, as browsers do. */
  stall(ms: number): void {
    this.#now += ms;
    for (const timer of [...this.#timers].filter((t) => t.next <= this.#now)) {
      timer.next = this.#now + timer.ms;
      timer.tick();
    }
  }

  get pending(): number {
    return this.#timers.size;
  }
}

function beat(clock: FakeClock) {
  const log: string[] = [];
  const heartbeat = new Heartbeat({
    ...HEARTBEAT,
    clock,
    ping: () => log.push(`ping@${clock.now()}`),
    dead: () => log.push(`dead@${clock.now()}`),
  });
  return { heartbeat, log };
}

describe('Heartbeat', () => {
  it('pings every interval while the other side is heard', () => {
    const clock = new FakeClock();
    const { heartbeat, log } = beat(clock);
    for (let i = 0; i < 10; i++) {
      clock.advance(1000);
      heartbeat.heard();
    }
    expect(log).toEqual(Array.from({ length: 10 }, (_, i) => `ping@${(i + 1) * 1000}`));
    heartbeat.stop();
  });

  it('declares a silent side dead on the first tick past deadAfterMs, within 5 s, once', () => {
    const clock = new FakeClock();
    const { log } = beat(clock);
    clock.advance(60_000);
    expect(log).toEqual(['ping@1000', 'ping@2000', 'ping@3000', 'dead@4000']);
    expect(clock.pending).toBe(0);
  });

  it('counts silence from the last sign of life', () => {
    const clock = new FakeClock();
    const { heartbeat, log } = beat(clock);
    clock.advance(2500);
    heartbeat.heard();
    clock.advance(3500);
    expect(log.at(-1)).toBe('ping@6000');
    clock.advance(1000);
    expect(log.at(-1)).toBe('dead@7000');
  });

  it('never declares death exactly at deadAfterMs of silence', () => {
    const clock = new FakeClock();
    const log: string[] = [];
    new Heartbeat({ intervalMs: 500, deadAfterMs: 1000, clock, ping: () => log.push('ping'), dead: () => log.push('dead') });
    clock.advance(1000);
    expect(log).toEqual(['ping', 'ping']);
    clock.advance(500);
    expect(log).toEqual(['ping', 'ping', 'dead']);
  });

  it('does not judge on a late tick: what arrived while this side was stalled is read first', () => {
    const clock = new FakeClock();
    const { heartbeat, log } = beat(clock);
    clock.advance(1000);
    clock.stall(10_000);
    expect(log).toEqual(['ping@1000', 'ping@11000']);
    heartbeat.heard(); // the other side's messages, queued behind the late tick
    clock.advance(3000);
    expect(log.at(-1)).toBe('ping@14000');
    heartbeat.stop();
  });

  it('still declares a silent side dead on the first tick on time after a stall', () => {
    const clock = new FakeClock();
    const { log } = beat(clock);
    clock.stall(10_000);
    expect(log).toEqual(['ping@10000']);
    clock.advance(1000);
    expect(log).toEqual(['ping@10000', 'dead@11000']);
  });

  it('says nothing once stopped', () => {
    const clock = new FakeClock();
    const { heartbeat, log } = beat(clock);
    clock.advance(1000);
    heartbeat.stop();
    clock.advance(60_000);
    expect(log).toEqual(['ping@1000']);
    expect(clock.pending).toBe(0);
  });
});
