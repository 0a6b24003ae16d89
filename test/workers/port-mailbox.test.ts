import { describe, expect, it } from 'vitest';
import { deliverPort, MAX_UNCLAIMED, receivePort, unclaimedPorts } from '../../src/workers/entry/port-mailbox.ts';

/** One end of a fresh channel. */
function port(): MessagePort {
  const { port1, port2 } = new MessageChannel();
  port2.close();
  return port1;
}

describe('port mailbox', () => {
  it('gives a port to whoever asks, before or after it arrives', async () => {
    const early = port();
    deliverPort('a/1', early);
    await expect(receivePort('a/1')).resolves.toBe(early);
    const late = port();
    const asked = receivePort('a/2');
    deliverPort('a/2', late);
    await expect(asked).resolves.toBe(late);
    expect(unclaimedPorts()).toBe(0);
  });

  it('keeps at most MAX_UNCLAIMED ports nobody claims, dropping the oldest first', async () => {
    const handed = Array.from({ length: MAX_UNCLAIMED + 5 }, port);
    handed.forEach((p, i) => deliverPort(`stale/${i}`, p));
    expect(unclaimedPorts()).toBe(MAX_UNCLAIMED);
    // The newest are still there; the five oldest were dropped, so asking for one waits.
    await expect(receivePort(`stale/${MAX_UNCLAIMED + 4}`)).resolves.toBe(handed[MAX_UNCLAIMED + 4]);
    // Asking for a dropped key waits for a new port under it, never the old one.
    const asked = receivePort('stale/0');
    const fresh = port();
    deliverPort('stale/0', fresh);
    await expect(asked).resolves.toBe(fresh);
    for (let i = 5; i < MAX_UNCLAIMED + 4; i++) await receivePort(`stale/${i}`);
    expect(unclaimedPorts()).toBe(0);
  });
});
