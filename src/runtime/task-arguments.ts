/**
 * The arguments of tasks, actor calls and actor constructors: the pins that keep argument objects
 * alive, waiting for top-level ref arguments, the first failed one, where the largest lives, and
 * the form they travel in to a node (fetching from a third node first where needed).
 */
import type { EncodedArgs } from '../core/encoded.ts';
import { ObjectLostError } from '../core/errors.ts';
import type { DispatchArgs } from '../core/node.ts';
import type { ObjectEntry } from '../core/object-table.ts';
import { mergeHandlers } from '../protocol/args-codec.ts';
import { actorIdsIn } from '../protocol/value-codec.ts';
import { outgoing } from './driver-helpers.ts';
import type { DriverState } from './driver-state.ts';
import type { ObjectAccess } from './object-access.ts';

export class TaskArguments {
  readonly #state: Pick<DriverState, 'objects' | 'workerRefs' | 'workerActors'>;
  readonly #fetcher: Pick<ObjectAccess, 'materialize'>;

  constructor(state: Pick<DriverState, 'objects' | 'workerRefs' | 'workerActors'>, fetcher: Pick<ObjectAccess, 'materialize'>) {
    this.#state = state;
    this.#fetcher = fetcher;
  }

  pin(args: EncodedArgs, delta: 1 | -1): void {
    const objects = this.#state.objects;
    const change = delta === 1 ? (id: string) => objects.addRef(id) : (id: string) => objects.removeRef(id);
    if (args.refArgs) for (const id of args.refArgs) if (id !== null) change(id);
    for (const id of args.nestedRefs) change(id);
  }

  /** Calls `ready` once every top-level ref argument is ready or failed. */
  resolveDeps(record: { args: EncodedArgs; pendingDeps: number }, ready: () => void): void {
    const refArgs = record.args.refArgs;
    if (!refArgs) return ready();
    let pending = 1; // held until the loop ends, so `ready` runs once
    const settle = () => {
      if (--pending === 0) {
        record.pendingDeps = 0;
        ready();
      }
    };
    for (const id of refArgs) {
      if (id === null) continue;
      const entry = this.#state.objects.get(id);
      if (!entry) continue; // freed: reported when the task is dispatched
      pending++;
      this.#state.objects.whenSettled(entry, settle);
    }
    record.pendingDeps = pending - 1;
    settle();
  }

  /** The first failed dependency, which the task then fails with, as Ray does. */
  depError(args: EncodedArgs): Error | undefined {
    if (!args.refArgs) return undefined;
    for (const id of args.refArgs) {
      if (id === null) continue;
      const entry = this.#state.objects.get(id);
      if (!entry) return new ObjectLostError(id, 'it was freed before the task that takes it could run');
      if (entry.state === 'failed') return entry.error;
    }
    return undefined;
  }

  /**
   * Arguments as they travel to `nodeId`: top-level refs replaced by their values, encoded; a
   * value that node holds itself is named, not sent.
   */
  forDispatch(args: EncodedArgs, nodeId: string, workerId: string): DispatchArgs {
    const holder = { nodeId, workerId };
    const onRef = (id: string) => this.#state.workerRefs.add(holder, id);
    const onActor = (actorId: string) => this.#state.workerActors.add(holder, actorId);
    // Handles inside the submitted arguments are markers already: the worker is handed them.
    if (args.special) for (const actorId of actorIdsIn(args.values)) onActor(actorId);
    let special = args.special;
    let handlers = args.handlers;
    let values = args.values;
    let held: [number, string][] | undefined;
    if (args.refArgs) {
      values = values.slice();
      for (let i = 0; i < args.refArgs.length; i++) {
        const id = args.refArgs[i];
        if (id === null || id === undefined) continue;
        const entry = this.#state.objects.get(id) as ObjectEntry;
        if (entry.location === nodeId) {
          (held ??= []).push([i, id]);
          values[i] = null;
          continue;
        }
        values[i] = outgoing(entry, onRef, onActor);
        special ||= entry.special;
        handlers = mergeHandlers(handlers, entry.handlers);
      }
    }
    for (const id of args.nestedRefs) onRef(id);
    return held ? { values, special, handlers, held } : { values, special, handlers };
  }

  /**
   * A top-level argument that is pending again: its only copy was lost and it is being rebuilt
   * from lineage. Work that takes it goes back to waiting for it (`resolveDeps`) rather than hold
   * its place in a queue the rebuilding task may wait in.
   */
  lostSinceReady(args: EncodedArgs): boolean {
    if (!args.refArgs) return false;
    for (const id of args.refArgs) {
      if (id !== null && this.#state.objects.get(id)?.state === 'pending') return true;
    }
    return false;
  }

  /**
   * Top-level arguments held by a node other than `nodeId`: they must come to the head before the
   * work can go there. Starts fetching them and returns true while any is on its way.
   */
  needsFetch(args: EncodedArgs, nodeId: string, then: () => void): boolean {
    if (!args.refArgs) return false;
    const fetches: Promise<void>[] = [];
    for (const id of args.refArgs) {
      if (id === null) continue;
      const entry = this.#state.objects.get(id);
      if (entry?.state === 'ready' && entry.location !== undefined && entry.location !== nodeId) fetches.push(this.#fetcher.materialize(entry));
    }
    if (fetches.length === 0) return false;
    void Promise.allSettled(fetches).then(then);
    return true;
  }

  /** The peer holding the largest top-level argument, for the scheduler to prefer. */
  localityOf(args: EncodedArgs): string | undefined {
    let best: ObjectEntry | undefined;
    for (const id of args.refArgs ?? []) {
      const entry = id === null ? undefined : this.#state.objects.get(id);
      if (entry?.location !== undefined && (!best || entry.size > best.size)) best = entry;
    }
    return best?.location;
  }
}
