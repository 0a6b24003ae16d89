/**
 * Baseline fixture of the Train benchmark: two bare workers joined by a MessageChannel. The
 * 'echo' one sends every buffer straight back; the 'ping' one times round trips of a buffer of
 * `floats` float32s and posts the times to the page. Transferred, the buffer is handed over without
 * being read (a lower bound no reduction can approach, since it must read every value); copied
 * (`copy`), it is cloned at each end, which is what sending data from one worker to another costs.
 */
const portScope = self as unknown as DedicatedWorkerGlobalScope;

type Start = { role: 'echo'; port: MessagePort; copy: boolean } | { role: 'ping'; port: MessagePort; floats: number; rounds: number; copy: boolean };

portScope.onmessage = (event: MessageEvent<Start>) => {
  const start = event.data;
  const port = start.port;
  if (start.role === 'echo') {
    port.onmessage = (e: MessageEvent<ArrayBuffer>) => port.postMessage(e.data, start.copy ? [] : [e.data]);
    return;
  }
  let buffer = new Float32Array(start.floats).fill(1).buffer;
  const roundTrip = () =>
    new Promise<void>((resolve) => {
      port.onmessage = (e: MessageEvent<ArrayBuffer>) => {
        buffer = e.data;
        resolve();
      };
      port.postMessage(buffer, start.copy ? [] : [buffer]);
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
