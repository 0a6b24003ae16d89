/**
 * The page inside a joiner's sandbox iframe (opaque origin, no network but the app's files). It
 * is the joiner's node: the head's DataChannels end here and in the room's workers, which run
 * here. The joiner page around it only relays the connection's opening (offer, answer,
 * candidates) and hears how busy the node is.
 * Workers here come from blob: URLs, the only scripts an opaque origin may start as workers; a
 * module worker from a blob cannot load here, so each is a classic worker that imports the
 * worker bundle and replays the messages that arrived while it loaded.
 */
import { WASM_FILES } from '../ml/wasm-files.ts';
import type { FromSandbox, ToSandbox } from '../net/sandbox-messages.ts';
import { canHandOverChannels, SandboxNode } from '../net/sandbox-node.ts';
import { allowConnectionsOnlyTo } from './connect-policy.ts';
import { workerModuleUrl } from './worker-module-url.ts';

// Before any worker starts: they may fetch the wasm binaries, and nothing else.
allowConnectionsOnlyTo(Object.values(WASM_FILES));

const bootstrapSource = `
const early = [];
const hold = (event) => early.push(event);
self.addEventListener('message', hold);
import(${JSON.stringify(workerModuleUrl)}).then(() => {
  self.removeEventListener('message', hold);
  for (const event of early) self.dispatchEvent(new MessageEvent('message', { data: event.data, ports: [...event.ports] }));
}, (error) => setTimeout(() => { throw error; }));
`;
const bootstrapUrl = URL.createObjectURL(new Blob([bootstrapSource], { type: 'text/javascript' }));

const handOverChannels = canHandOverChannels();

/** Serves the joiner page over `port`: one node, started when the page says so. */
function connect(port: MessagePort): void {
  let node: SandboxNode | undefined;
  const report = (message: FromSandbox) => port.postMessage(message);
  port.onmessage = (event: MessageEvent) => {
    const message = event.data as ToSandbox;
    switch (message.type) {
      case 'start':
        node ??= new SandboxNode({
          nodeId: message.nodeId,
          rtcConfig: message.rtcConfig,
          createWorker: (workerId) => new Worker(bootstrapUrl, { name: `raybox-${workerId}` }),
          handOverChannels,
          report,
        });
        return;
      case 'rtc':
        node?.signal(message.signal);
        return;
    }
  };
}

window.addEventListener('message', (event: MessageEvent) => {
  if (event.source !== parent || (event.data as { type?: unknown })?.type !== 'raybox-sandbox-connect') return;
  const port = event.ports[0];
  if (port) connect(port);
});
parent.postMessage({ type: 'raybox-sandbox-ready' }, '*');
