/**
 * Ports the page hands to this worker (`WorkerControl.takePort`), kept by key until the code that
 * needs one asks for it. Either may come first: the port travels on the control channel while the
 * code that uses it (a training loop) starts with an actor call on the data channel.
 *
 * A port nobody claims (a training group that failed before its loop connected) would otherwise
 * stay for the worker's life, so at most `MAX_UNCLAIMED` are kept: past that the oldest is closed
 * and dropped. A group connects within moments of its ports arriving, so only stale ones go.
 */
export const MAX_UNCLAIMED = 32;

const ports = new Map<string, MessagePort>();
const waiting = new Map<string, (port: MessagePort) => void>();

/** Keeps `port` under `key`, or gives it to whoever waits for it. */
export function deliverPort(key: string, port: MessagePort): void {
  const wake = waiting.get(key);
  if (wake) {
    waiting.delete(key);
    wake(port);
    return;
  }
  ports.get(key)?.close();
  ports.delete(key);
  ports.set(key, port);
  // Maps iterate in insertion order: the first key is the port kept longest.
  for (const [oldest, stale] of ports) {
    if (ports.size <= MAX_UNCLAIMED) break;
    stale.close();
    ports.delete(oldest);
  }
}

/** The port the page handed over under `key`, once it arrives. */
export function receivePort(key: string): Promise<MessagePort> {
  const port = ports.get(key);
  if (port) {
    ports.delete(key);
    return Promise.resolve(port);
  }
  return new Promise((resolve) => waiting.set(key, resolve));
}

/** How many handed-over ports wait to be claimed (for tests). */
export function unclaimedPorts(): number {
  return ports.size;
}
