/**
 * Reading and writing objects at the head: `put`, `get` and `wait` for the page and for workers,
 * bringing values that peers hold to the head, and the form a stored value travels in. Callers
 * still waiting are remembered so that shutdown can reject them.
 */
import { GetTimeoutError, ObjectLostError, RayboxError } from '../core/errors.ts';
import { keepAlive } from '../core/keep-alive.ts';
import type { ObjectRef } from '../core/object-ref.ts';
import type { ObjectEntry } from '../core/object-table.ts';
import { encodePayload, mergeHandlers } from '../protocol/args-codec.ts';
import type { PutItem } from '../protocol/messages.ts';
import type { ProtocolNode } from '../protocol/node-host.ts';
import { decodeValue } from '../protocol/value-codec.ts';
import { copyForStore, decodeContext, outgoing, replyError, valuesOf } from './driver-helpers.ts';
import type { DriverState } from './driver-state.ts';
import type { Lineage } from './lineage.ts';
import type { RefHolder } from './worker-refs.ts';

function heldElsewhere(entry: ObjectEntry): boolean {
  return entry.state === 'ready' && entry.location !== undefined;
}

export class ObjectAccess {
  readonly #state: Pick<DriverState, 'objects' | 'nodes' | 'workerRefs' | 'workerActors'>;
  /** Where an object whose only copy is gone is rebuilt (or failed). */
  readonly #lineage: Pick<Lineage, 'lose'>;
  #pendingGets = new Set<(error: Error) => void>();
  #fetching = new Map<string, Promise<void>>();

  constructor(state: Pick<DriverState, 'objects' | 'nodes' | 'workerRefs' | 'workerActors'>, lineage: Pick<Lineage, 'lose'>) {
    this.#state = state;
    this.#lineage = lineage;
  }

  /** Stores a copy of `value` under `id`, as the page's `put` does. */
  put(id: string, value: unknown): void {
    const payload = encodePayload(value, { label: 'The value given to put()' });
    this.#state.objects.create(id, undefined);
    // Ray copies on put; so do we, so that later changes to `value` do not reach the store.
    const stored = payload.special ? decodeValue(structuredClone(payload.value), decodeContext) : copyForStore(value);
    this.#state.objects.resolve(id, stored, payload.size, payload.special, payload.handlers);
  }

  /** A worker's `put`: the value arrives encoded already, and the worker holds one ref. */
  putFromWorker(item: PutItem, holder: RefHolder): void {
    const objects = this.#state.objects;
    objects.create(item.objectId, undefined);
    const value = item.special ? decodeValue(item.value, decodeContext) : item.value;
    objects.resolve(item.objectId, value, item.size, item.special === true, item.handlers);
    this.#state.workerRefs.add(holder, item.objectId); // the worker's own ref
  }

  /** A worker's `put` whose value could not travel: the object fails, so whoever reads it learns why. */
  putFailedFromWorker(objectId: string, error: Error, holder: RefHolder): void {
    this.#state.objects.create(objectId, undefined);
    this.#state.objects.fail(objectId, error);
    this.#state.workerRefs.add(holder, objectId); // the worker's own ref
  }

  get(refs: ObjectRef[], timeoutS: number | undefined): Promise<unknown[]> {
    const entries = this.#entriesOf(refs);
    const deadline = timeoutS === undefined ? undefined : performance.now() + timeoutS * 1000;
    // Written as one `then`, not an async loop: a synchronous `get` in a loop pays for every
    // promise between the value's arrival and its caller.
    return this.#settled(entries, timeoutS, timeoutS ?? 0).then(() => {
      if (entries.some(heldElsewhere)) return this.#getHeldElsewhere(refs, entries, deadline, timeoutS ?? 0);
      keepAlive(refs);
      return valuesOf(entries);
    });
  }

  /** The rest of a `get` some of whose values peers hold. */
  async #getHeldElsewhere(refs: ObjectRef[], entries: ObjectEntry[], deadline: number | undefined, reportedTimeoutS: number): Promise<unknown[]> {
    for (;;) {
      const remote = entries.filter(heldElsewhere);
      if (remote.length === 0) break;
      // Values held by peers come here first. A peer that left meanwhile puts its objects back
      // to pending (rebuilt from lineage), and the loop waits for them again.
      await Promise.allSettled(remote.map((entry) => this.materialize(entry)));
      const left = deadline === undefined ? undefined : Math.max(0, (deadline - performance.now()) / 1000);
      await this.#settled(entries, left, reportedTimeoutS);
    }
    keepAlive(refs);
    return valuesOf(entries);
  }

  /** Resolves once every entry is ready or failed, or rejects with GetTimeoutError. */
  #settled(entries: ObjectEntry[], timeoutS: number | undefined, reportedTimeoutS: number): Promise<void> {
    let pending = 0;
    for (const entry of entries) if (entry.state === 'pending') pending++;
    if (pending === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let done = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (error?: Error) => {
        if (done) return;
        done = true;
        if (timer !== undefined) clearTimeout(timer);
        this.#pendingGets.delete(finish);
        if (error) reject(error);
        else resolve();
      };
      this.#pendingGets.add(finish);
      // One callback shared by every entry: a `get` of a million refs would otherwise hold a
      // million closures until the last value came.
      const settledOne = () => {
        if (--pending === 0) finish();
      };
      for (const entry of entries) if (entry.state === 'pending') this.#state.objects.whenSettled(entry, settledOne);
      if (timeoutS !== undefined) timer = setTimeout(() => finish(new GetTimeoutError(reportedTimeoutS, pending)), timeoutS * 1000);
    });
  }

  /** Brings the value of an object a peer holds to the head. */
  materialize(entry: ObjectEntry): Promise<void> {
    const pending = this.#fetching.get(entry.id);
    if (pending) return pending;
    const node = entry.location !== undefined ? this.#state.nodes.get(entry.location) : undefined;
    if (!node?.fetchObject) {
      this.#lineage.lose(entry, `node ${entry.location ?? '?'} that held it is gone`);
      return Promise.resolve();
    }
    const location = entry.location;
    const fetching = node
      .fetchObject(entry.id)
      .then((held) => {
        if (entry.state !== 'ready' || entry.location !== location) return;
        this.#state.objects.materialized(entry, held.special ? decodeValue(held.value, decodeContext) : held.value);
        node.freeObjects?.([entry.id]);
      })
      .catch((error: unknown) => {
        if (entry.state === 'ready' && entry.location === location) this.#lineage.lose(entry, String(error));
      })
      .finally(() => this.#fetching.delete(entry.id));
    this.#fetching.set(entry.id, fetching);
    return fetching;
  }

  #entriesOf(refs: ObjectRef[]): ObjectEntry[] {
    return refs.map((ref) => {
      const entry = this.#state.objects.get(ref.id);
      if (!entry) throw new ObjectLostError(ref.id, 'it is not in this runtime (freed, or made before a shutdown)');
      return entry;
    });
  }

  /** The ids among `ids` that are ready or failed, once `numReturns` are or the timeout passes. */
  waitIds(ids: string[], numReturns: number, timeoutS: number | undefined): Promise<Set<string>> {
    const ready = new Set<string>();
    const entries = ids.map((id) => this.#state.objects.get(id));
    entries.forEach((entry, i) => {
      if (!entry || entry.state !== 'pending') ready.add(ids[i] as string);
    });
    if (ready.size >= numReturns || timeoutS === 0) return Promise.resolve(ready);
    return new Promise((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        keepAlive(ids);
        this.#pendingGets.delete(finish);
        if (timer !== undefined) clearTimeout(timer);
        resolve(ready);
      };
      entries.forEach((entry, i) => {
        if (!entry || entry.state !== 'pending') return;
        this.#state.objects.whenSettled(entry, () => {
          if (done) return;
          ready.add(ids[i] as string);
          if (ready.size >= numReturns) finish();
        });
      });
      this.#pendingGets.add(finish);
      const timer = timeoutS !== undefined ? setTimeout(finish, timeoutS * 1000) : undefined;
    });
  }

  /** A worker's `get`: the values go back encoded, counting the worker's refs inside them. */
  answerGet(node: ProtocolNode, workerId: string, requestId: number, ids: string[], timeoutS: number | null): void {
    let entries: ObjectEntry[];
    try {
      entries = this.#entriesOf(ids.map((id) => ({ id }) as ObjectRef));
    } catch (error) {
      node.send(workerId, replyError(requestId, error));
      return;
    }
    const refs = entries.map((entry) => ({ id: entry.id }) as ObjectRef);
    const holder = { nodeId: node.id, workerId };
    this.get(refs, timeoutS ?? undefined).then(
      () => {
        let special = false;
        let handlers: string[] | undefined;
        const values = entries.map((entry) => {
          special ||= entry.special;
          handlers = mergeHandlers(handlers, entry.handlers);
          return outgoing(entry, (id) => this.#state.workerRefs.add(holder, id), (id) => this.#state.workerActors.add(holder, id));
        });
        node.send(workerId, { type: 'reply', requestId, ok: true, value: values, special, handlers });
      },
      (error: unknown) => node.send(workerId, replyError(requestId, error)),
    );
  }

  /** A worker's `wait`: the ready ids go back. */
  answerWait(node: ProtocolNode, workerId: string, requestId: number, ids: string[], numReturns: number, timeoutS: number | null): void {
    this.waitIds(ids, numReturns, timeoutS ?? undefined).then(
      (ready) => node.send(workerId, { type: 'reply', requestId, ok: true, value: [...ready], special: false }),
      (error: unknown) => node.send(workerId, replyError(requestId, error)),
    );
  }

  /** Rejects every `get` still waiting (and ends every `wait`): the runtime is shutting down. */
  abandonWaiters(): void {
    for (const reject of [...this.#pendingGets]) reject(new RayboxError('raybox was shut down before the objects were ready. Call init() to start again.'));
  }
}
