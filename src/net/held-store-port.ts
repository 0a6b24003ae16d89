import type { HeldObject } from '../core/node.ts';
import * as v from 'valibot';
import { checker } from '../protocol/validate.ts';
import type { HeldObjects, HeldStore } from './held-objects.ts';

/**
 * A joiner's store of held objects, reached from one of its workers over a MessagePort: the
 * store lives in the sandbox page, which all the node's workers share.
 */
type ToStore = { type: 'keep'; objectId: string; object: HeldObject } | { type: 'get'; requestId: number; ids: string[] };
type FromStore = { type: 'got'; requestId: number; objects: Array<HeldObject | null> };

const checkToStore = checker(
  v.variant('type', [
    v.object({
      type: v.literal('keep'),
      objectId: v.string(),
      object: v.object({ value: v.unknown(), special: v.boolean(), handlers: v.undefinedable(v.array(v.string())), size: v.number() }),
    }),
    v.object({ type: v.literal('get'), requestId: v.number(), ids: v.array(v.string()) }),
  ]),
);

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
    const checked = checkToStore(event.data);
    if (!checked.ok) return console.warn(`raybox: dropped a bad message to the object store: ${checked.reason}`);
    const message: ToStore = checked.message;
    if (message.type === 'keep') return store.keep(message.objectId, message.object);
    void store.get(message.ids).then((objects) => {
      const reply: FromStore = { type: 'got', requestId: message.requestId, objects: objects.map((object) => object ?? null) };
      port.postMessage(reply);
    });
  };
}
