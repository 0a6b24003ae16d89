/**
 * The page inside a joiner's sandbox iframe (opaque origin, no network but the app's files). It
 * starts the room's workers and watches them; their tasks and results flow over a port straight
 * between each worker and the joiner page, which validates them.
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
  const post = (message: FromSandbox, transfer: Transferable[] = []) => port.postMessage(message, transfer);
  port.onmessage = (event: MessageEvent) => {
    const message = event.data as ToSandbox;
    switch (message.type) {
      case 'spawn': {
        const { workerId } = message;
        const data = new MessageChannel();
        const link = new WorkerLink(
          workerId,
          message.nodeId,
          () => new Worker(bootstrapUrl, { name: `raybox-${workerId}` }),
          {
            items: () => undefined, // data flows over the worker's own port to the joiner page
            died: (reason) => {
              links.delete(workerId);
              post({ type: 'died', workerId, reason });
            },
          },
          {},
          data.port2,
        );
        links.set(workerId, link);
        post({ type: 'port', workerId }, [data.port1]);
        void link
          .ready()
          .then(() => link.backend())
          .then((backend) => post({ type: 'ready', workerId, backend }));
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
