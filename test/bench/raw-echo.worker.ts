/**
 * Platform baseline fixture: echoes every message back unchanged. An ArrayBuffer goes back
 * transferred, so a clone one way plus a transfer back measures the clone, and a transfer both
 * ways measures the transfer.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<unknown>) => {
  const data = event.data;
  if (data instanceof ArrayBuffer) scope.postMessage(data, [data]);
  else scope.postMessage(data);
};
