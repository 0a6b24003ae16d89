/**
 * Ports the page hands to this worker (`WorkerControl.takePort`), kept by key until the code that
 * needs one asks for it. Either may come first: the port travels on the control channel while the
 * code that uses it (a training loop) starts with an actor call on the data channel.
 */
const ports = new Map<string, MessagePort>();
const waiting = new Map<string, (port: MessagePort) => void>();

/** Keeps `port` under `key`, or gives it to whoever waits for it. */
export function deliverPort(key: string, port: MessagePort): void {
  const wake = waiting.get(key);
  if (wake) {
    waiting.delete(key);
    wake(port);
  } else {
    ports.set(key, port);
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
