import type { HeldObject } from '../core/node.ts';
import { checkItem, type Schema } from '../protocol/validate.ts';
import type { HeldObjects, HeldStore } from './held-objects.ts';

/**
 * A joiner's store of held objects, reached from one of its workers over a MessagePort: the
 * store lives in the sandbox page, which all the node's workers share.
 */
type ToStore = { type: 'keep'; objectId: string; object: HeldObject } | { type: 'get'; requestId: number; ids: string[] };
type FromStore = { type: 'got'; requestId: number; objects: Array<HeldObject | null> };

const toStore: Schema = {
  keep: { objectId: 'string', object: 'object' },
  get: { requestId: 'number', ids: 'array' },
};

/** The worker's side. */
export class PortHeldStore implements HeldStore {
  #port: MessagePort;
  #requests = new Map<number, (objects: Array<HeldObject | undefined>) => void>();
  #nextRequest = 1;

  constructor(port: MessagePort) {
    this.#port = port;
    port.onmessage = (event: MessageEvent) => {
      const reply = event.data as FromStore;
      const resolve = this.#requests.get(reply.requestId);
      this.#requests.delete(reply.requestId);
      resolve?.(reply.objects.map((object) => object ?? undefined));
    };
  }

  keep(objectId: string, object: HeldObject): void {
    this.#post({ type: 'keep', objectId, object });
  }

  get(ids: string[]): Promise<Array<HeldObject | undefined>> {
    const requestId = this.#nextRequest++;
    return new Promise((resolve) => {
      this.#requests.set(requestId, resolve);
      this.#post({ type: 'get', requestId, ids });
    });
  }

  #post(message: ToStore): void {
    this.#port.postMessage(message);
  }
}

/** The sandbox page's side: answers one worker's port. What the worker sends is checked first. */
export function serveHeldStore(port: MessagePort, store: HeldObjects): void {
  port.onmessage = (event: MessageEvent) => {
    const problem = checkItem(event.data, toStore);
    if (problem) return console.warn(`raybox: dropped a bad message to the object store: ${problem}`);
    const message = event.data as ToStore;
    if (message.type === 'keep') return store.keep(message.objectId, message.object);
    const ids = message.ids.filter((id): id is string => typeof id === 'string');
    void store.get(ids).then((objects) => {
      const reply: FromStore = { type: 'got', requestId: message.requestId, objects: objects.map((object) => object ?? null) };
      port.postMessage(reply);
    });
  };
}
