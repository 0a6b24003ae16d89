/**
 * Baseline fixture of the Train benchmark: two bare workers joined by a MessageChannel. The
 * 'echo' one sends every buffer straight back, transferred; the 'ping' one times round trips of a
 * buffer of `floats` float32s, transferred both ways, and posts the times to the page.
 */
const portScope = self as unknown as DedicatedWorkerGlobalScope;

type Start = { role: 'echo'; port: MessagePort } | { role: 'ping'; port: MessagePort; floats: number; rounds: number };

portScope.onmessage = (event: MessageEvent<Start>) => {
  const start = event.data;
  const port = start.port;
  if (start.role === 'echo') {
    port.onmessage = (e: MessageEvent<ArrayBuffer>) => port.postMessage(e.data, [e.data]);
    return;
  }
  let buffer = new Float32Array(start.floats).fill(1).buffer;
  const roundTrip = () =>
    new Promise<void>((resolve) => {
      port.onmessage = (e: MessageEvent<ArrayBuffer>) => {
        buffer = e.data;
        resolve();
      };
      port.postMessage(buffer, [buffer]);
    });
  void (async () => {
    await roundTrip(); // warm-up
    const times: number[] = [];
    for (let i = 0; i < start.rounds; i++) {
      const t0 = performance.now();
      await roundTrip();
      times.push(performance.now() - t0);
    }
    portScope.postMessage(times);
  })();
};
export {};
