/**
 * The page inside a joiner's sandbox iframe (opaque origin, no network but the app's files). It
 * starts the room's workers and relays their messages to the joiner page over a MessagePort.
 * Workers here come from blob: URLs, the only scripts an opaque origin may start as workers; a
 * module worker from a blob cannot load here, so each is a classic worker that imports the
 * worker bundle and replays the messages that arrived while it loaded.
 */
import workerModuleUrl from '../worker.ts?worker&url';
import type { FromSandbox, ToSandbox } from '../net/worker-sandbox.ts';
import { WorkerLink } from '../workers/host/worker-link.ts';

const moduleUrl = new URL(workerModuleUrl, location.href).href;
const bootstrapSource = `
const early = [];
const hold = (event) => early.push(event);
self.addEventListener('message', hold);
import(${JSON.stringify(moduleUrl)}).then(() => {
  self.removeEventListener('message', hold);
  for (const event of early) self.dispatchEvent(new MessageEvent('message', { data: event.data, ports: [...event.ports] }));
}, (error) => setTimeout(() => { throw error; }));
`;
const bootstrapUrl = URL.createObjectURL(new Blob([bootstrapSource], { type: 'text/javascript' }));

function connect(port: MessagePort): void {
  const links = new Map<string, WorkerLink>();
  const post = (message: FromSandbox) => port.postMessage(message);
  port.onmessage = (event: MessageEvent) => {
    const message = event.data as ToSandbox;
    switch (message.type) {
      case 'spawn': {
        const { workerId } = message;
        const link = new WorkerLink(workerId, message.nodeId, () => new Worker(bootstrapUrl, { name: `raybox-${workerId}` }), {
          items: (items) => post({ type: 'results', workerId, items }),
          died: (reason) => {
            links.delete(workerId);
            post({ type: 'died', workerId, reason });
          },
        });
        links.set(workerId, link);
        void link
          .ready()
          .then(() => link.backend())
          .then((backend) => post({ type: 'ready', workerId, backend }));
        return;
      }
      case 'work': {
        const link = links.get(message.workerId);
        for (const item of message.items) link?.send(item);
        return;
      }
      case 'terminate':
        links.get(message.workerId)?.terminate();
        links.delete(message.workerId);
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
