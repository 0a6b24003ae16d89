import { PROTOCOL_VERSION, type FromWorker } from '../../protocol/messages.ts';

/**
 * Collects the items a worker sends and posts them as one envelope at the end of the current
 * turn, so a batch of a thousand tasks that finish synchronously costs one message back.
 */
export class Outbox {
  #items: FromWorker[] = [];
  #transfer: Transferable[] = [];
  #scheduled = false;
  #post: (message: unknown, transfer: Transferable[]) => void;

  constructor(post: (message: unknown, transfer: Transferable[]) => void) {
    this.#post = post;
  }

  send(item: FromWorker, transfer?: Transferable[]): void {
    this.#items.push(item);
    if (transfer && transfer.length > 0) this.#transfer.push(...transfer);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  flush(): void {
    this.#scheduled = false;
    if (this.#items.length === 0) return;
    const items = this.#items;
    const transfer = this.#transfer;
    this.#items = [];
    this.#transfer = [];
    this.#post({ v: PROTOCOL_VERSION, items }, transfer);
  }
}
