/**
 * The driver: the head's `Realm` (what the public API calls in the page) and `NodeHost` (what
 * nodes report), and `handle()`, which routes each item a worker sends. The work itself is done
 * by the parts on the head's tables (`DriverState`), joined in `driver-wiring.ts`: task submission
 * and completion, lineage, actors, object access, streams.
 */
import type { ActorDescriptor } from '../core/actor-handle-tag.ts';
import { errorFromData, RayboxError, RayboxUsageError } from '../core/errors.ts';
import { EventBus, type BatchListener, type BatchOptions, type NodeInfo, type RayboxEvent } from '../core/events.ts';
import type { ClassDescriptor, FunctionDescriptor } from '../core/function-descriptor.ts';
import { IdSource } from '../core/ids.ts';
import { ObjectRef, RefTracker, setRefHooks } from '../core/object-ref.ts';
import type { ObjectRefGenerator } from '../core/object-ref-generator.ts';
import { validateActorOptions, validateTaskOptions, type ActorMethodOptions, type ActorOptions, type TaskOptions } from '../core/options.ts';
import type { Realm, WaitResult } from '../core/realm.ts';
import { sumResources, type Resources } from '../core/resources.ts';
import { encodeArgs } from '../protocol/args-codec.ts';
import { assertNever, type FromWorker } from '../protocol/messages.ts';
import type { NodeHost, ProtocolNode } from '../protocol/node-host.ts';
import { refusalOf, runsOn } from './capabilities.ts';
import { isTerminal, replyError } from './driver-helpers.ts';
import type { DriverState } from './driver-state.ts';
import { wireDriver, type DriverParts } from './driver-wiring.ts';

/**
 * The head's runtime: it owns every object its code creates, keeps each task's lineage, resolves
 * arguments, schedules onto nodes and turns whatever comes back into stored values, retries or
 * errors. It is the realm of the page, and the host its nodes report to.
 */
export class Driver implements Realm, NodeHost {
  readonly nodeId: string;
  readonly events = new EventBus();
  #ids = new IdSource('');
  readonly #state: DriverState;
  readonly #parts: DriverParts;
  #departed: NodeInfo[] = [];
  #pumpScheduled = false;
  #closed = false;
  readonly #tracker: RefTracker;

  constructor(nodeId: string) {
    this.nodeId = nodeId;
    this.#parts = wireDriver(this.events, () => this.capacityFreed());
    this.#state = this.#parts.state;
    const objects = this.#state.objects;
    const tracker = new RefTracker((counts) => {
      for (const [id, n] of counts) objects.removeRef(id, n);
    });
    this.#tracker = tracker;
    setRefHooks({
      created: (ref) => {
        objects.addRef(ref.id);
        tracker.created(ref);
      },
    });
  }

  // ── nodes ───────────────────────────────────────────────────────────────────────────────────

  addNode(node: ProtocolNode): void {
    const state = this.#state;
    const parts = this.#parts;
    state.nodes.set(node.id, node);
    for (const [name, actorId] of state.namedActors) {
      const actor = state.actors.get(actorId);
      if (actor) node.broadcast({ type: 'namedActor', name, actor: parts.actors.descriptor(actor) });
    }
    parts.events.emit({ type: 'node', time: Date.now(), change: 'added', node: node.info() });
    this.capacityFreed();
  }

  /** Takes a node out of the cluster (a peer left); its lost work is reported by the node itself. */
  removeNode(node: ProtocolNode): void {
    const state = this.#state;
    const parts = this.#parts;
    if (!state.nodes.delete(node.id)) return;
    const info = { ...node.info(), alive: false };
    this.#departed.push(info);
    parts.events.emit({ type: 'node', time: Date.now(), change: 'removed', node: info });
    for (const entry of [...state.objects.entries()]) {
      if (entry.state === 'ready' && entry.location === node.id) parts.lineage.lose(entry, `node ${node.id} that held it left`);
    }
  }

  /** Announces what changed about a node (its backend, its resources). */
  nodeUpdated(node: ProtocolNode): void {
    if (this.#state.nodes.has(node.id)) this.#parts.events.emit({ type: 'node', time: Date.now(), change: 'updated', node: node.info() });
  }

  /**
   * Joins the workers of two actors on the same node (this page's, or a peer's) by a
   * MessageChannel, each end kept in its worker under `key`: they then talk without the page (or
   * the room) in between. False when the actors run on different nodes, or either is gone.
   */
  connectActors(actorA: string, actorB: string, key: string): boolean {
    const a = this.#state.actors.get(actorA);
    const b = this.#state.actors.get(actorB);
    if (a?.nodeId === undefined || a.nodeId !== b?.nodeId) return false;
    const node = this.#state.nodes.get(a.nodeId);
    return node?.connectActors?.(actorA, actorB, key) ?? false;
  }

  nodes(): NodeInfo[] {
    return [...[...this.#state.nodes.values()].map((n) => n.info()), ...this.#departed];
  }

  clusterResources(): Resources {
    return sumResources([...this.#state.nodes.values()].map((n) => n.total()));
  }

  availableResources(): Resources {
    return sumResources([...this.#state.nodes.values()].map((n) => n.available()));
  }

  /** Drops a ref of this page at once instead of at garbage collection; it must not be used after. */
  releaseRef(ref: ObjectRef): void {
    this.#tracker.releaseNow(ref);
  }

  objectStoreStats(): { count: number; bytes: number } {
    return this.#state.objects.stats();
  }

  /** A snapshot of unfinished work, for debugging a stuck run. */
  debugState(): unknown {
    const state = this.#state;
    const tasks = [...state.tasks.values()].filter((t) => !isTerminal(t.state)).map((t) => ({ id: t.id, name: t.name, state: t.state, node: t.nodeId, worker: t.workerId, attempts: t.attempts, deps: t.pendingDeps }));
    const actors = [...state.actors.values()].map((a) => ({ id: a.id, state: a.state, worker: a.workerId, queue: a.queue.length, running: a.running.size }));
    return { tasks, actors, queued: this.#parts.scheduler.size, nodes: [...state.nodes.values()].map((n) => (n as unknown as { debugState?: () => unknown }).debugState?.()) };
  }

  // ── Realm: what the public API calls ────────────────────────────────────────────────────────

  submitTask(fn: FunctionDescriptor, args: unknown[], options: TaskOptions): ObjectRef | ObjectRef[] | ObjectRefGenerator {
    this.#checkOpen();
    const taskId = this.#ids.taskId();
    const record = this.#parts.submission.newTask(taskId, fn, encodeArgs(args, fn.name), options, null);
    return this.#parts.submission.returnsOf(record);
  }

  createActor(cls: ClassDescriptor, args: unknown[], options: ActorOptions): ActorDescriptor {
    this.#checkOpen();
    const actors = this.#parts.actors;
    const actor = actors.create(this.#ids.actorId(), cls, encodeArgs(args, `${cls.name} constructor`), options);
    return actors.descriptor(actor);
  }

  callActor(
    actor: ActorDescriptor,
    method: string,
    args: unknown[],
    options: ActorMethodOptions,
    streaming: boolean,
  ): ObjectRef | ObjectRef[] | ObjectRefGenerator {
    this.#checkOpen();
    const submission = this.#parts.submission;
    const record = submission.newCall(this.#ids.taskId(), actor, method, encodeArgs(args, `${actor.className}.${method}`), options, streaming, null);
    return submission.returnsOf(record);
  }

  put(value: unknown): ObjectRef {
    this.#checkOpen();
    const id = this.#ids.putId();
    this.#parts.objectAccess.put(id, value);
    return new ObjectRef(id);
  }

  get(refs: ObjectRef[], timeoutS: number | undefined): Promise<unknown[]> {
    return this.#parts.objectAccess.get(refs, timeoutS);
  }

  wait(refs: ObjectRef[], numReturns: number, timeoutS: number | undefined): Promise<WaitResult> {
    // `refs` stays referenced by the continuation below, so its objects live until it runs.
    return this.#parts.objectAccess.waitIds(refs.map((r) => r.id), numReturns, timeoutS).then((ready) => ({
      ready: refs.filter((r) => ready.has(r.id)),
      notReady: refs.filter((r) => !ready.has(r.id)),
    }));
  }

  cancel(ref: ObjectRef, options: { force: boolean; recursive: boolean }): void {
    const state = this.#state;
    const parts = this.#parts;
    const entry = state.objects.get(ref.id);
    const record = entry?.creator !== undefined ? state.tasks.get(entry.creator) : state.tasks.get(ref.id.split('.')[0] ?? '');
    if (!record) return; // finished and freed, or made by put(): nothing to cancel
    parts.completion.cancel(record, options.force, options.recursive);
  }

  /** Tags what the page submits from now on (and the tasks those start) with `context`; null: nothing. */
  setSubmissionContext(context: string | null): void {
    this.#state.contexts.current = context ?? undefined;
  }

  /**
   * Cancels (forcibly, with the tasks they started) the unfinished tasks submitted in `context`,
   * and any submitted in it later. Returns the ids of those cancelled now.
   */
  cancelContext(context: string): string[] {
    const state = this.#state;
    const parts = this.#parts;
    const unfinished = state.contexts.cancel(context, state.tasks.values());
    for (const record of unfinished) parts.completion.cancel(record, true, true);
    return unfinished.map((r) => r.id);
  }

  /** The context a task was submitted in, while the driver still holds its record. */
  contextOf(taskId: string): string | undefined {
    return this.#state.tasks.get(taskId)?.context;
  }

  kill(descriptor: ActorDescriptor, noRestart: boolean): void {
    this.#parts.actors.kill(descriptor, noRestart);
  }

  getActor(name: string): ActorDescriptor {
    return this.#parts.actors.named(name);
  }

  /**
   * Calls of an actor submitted and not yet finished (queued at the head or running), from any
   * caller: the page or other actors' workers. Serve's autoscaler reads its replicas' load here.
   */
  actorCallsInFlight(actorId: string): number {
    const actor = this.#state.actors.get(actorId);
    return actor ? actor.queue.length + actor.running.size : 0;
  }

  /** Publishes a metric row on the event stream. */
  reportMetrics(source: string, step: number, values: Record<string, number>): void {
    this.#parts.events.emit({ type: 'metric', time: Date.now(), source, step, values });
  }

  taskContext(): null {
    return null;
  }

  runtimeContext(): { nodeId: string; workerId: null } {
    return { nodeId: this.nodeId, workerId: null };
  }

  onEvent(listener: (event: RayboxEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  /** The event stream in batches, one call per turn of the event loop (see `EventBus`). */
  onEventBatch(listener: BatchListener, options?: BatchOptions): () => void {
    return this.events.subscribeBatch(listener, options);
  }

  async shutdown(): Promise<void> {
    const state = this.#state;
    const parts = this.#parts;
    this.#closed = true;
    parts.objectAccess.abandonWaiters();
    const nodes = [...state.nodes.values()];
    state.nodes.clear();
    await Promise.all(nodes.map((n) => n.shutdown()));
    state.tasks.clear();
    state.actors.clear();
    state.objects.clear();
  }

  // ── NodeHost: what nodes report ─────────────────────────────────────────────────────────────

  functionSource(fnId: string): string | undefined {
    return this.#state.code.sourceOf(fnId);
  }

  capacityFreed(): void {
    // A pump offers queued work only: with nothing queued there is nothing to offer.
    if (this.#pumpScheduled || this.#closed || this.#parts.scheduler.size === 0) return;
    this.#pumpScheduled = true;
    queueMicrotask(() => {
      this.#pumpScheduled = false;
      if (!this.#closed) this.#parts.scheduler.pump(this.#state.nodes.list);
    });
  }

  workerDied(node: ProtocolNode, workerId: string, taskIds: string[], actorIds: string[], reason: string): void {
    const state = this.#state;
    const parts = this.#parts;
    state.workerRefs.drop({ nodeId: node.id, workerId });
    state.workerActors.drop({ nodeId: node.id, workerId });
    parts.streams.consumerGone({ nodeId: node.id, workerId });
    for (const taskId of taskIds) {
      const record = state.tasks.get(taskId);
      if (!record || record.nodeId !== node.id || isTerminal(record.state)) continue;
      if (record.kind === 'task') parts.completion.retryOrFail(record);
    }
    for (const actorId of actorIds) {
      const actor = state.actors.get(actorId);
      if (actor && actor.state !== 'DEAD') parts.actors.lost(actor, reason);
    }
    this.capacityFreed();
  }

  /** Routes an item a worker sent, if the worker is entitled to it; otherwise returns why not. */
  handle(node: ProtocolNode, workerId: string, item: FromWorker): string | undefined {
    const refused = refusalOf(this.#state, { nodeId: node.id, workerId }, item);
    if (refused !== undefined) {
      // A refused request is answered, so the code that made it fails instead of waiting forever.
      if ('requestId' in item) node.send(workerId, replyError(item.requestId, new RayboxUsageError(`The head refused this request: ${refused}.`)));
      return refused;
    }
    try {
      this.#route(node, workerId, item);
    } catch (error) {
      // A submission the head cannot take (options it refuses, code it never saw): the rest of
      // the worker's batch still goes on.
      return `'${item.type}' that could not be taken: ${error instanceof Error ? error.message : String(error)}`;
    }
    return undefined;
  }

  #route(node: ProtocolNode, workerId: string, item: FromWorker): void {
    const state = this.#state;
    const parts = this.#parts;
    const holder = { nodeId: node.id, workerId };
    switch (item.type) {
      case 'started': {
        const record = state.tasks.get(item.taskId);
        if (record && record.nodeId === node.id && record.state === 'RUNNING') parts.events.announceRunning(record, item.time);
        return;
      }
      case 'done':
        return parts.completion.onDone(node, item);
      case 'failed':
        return parts.completion.onFailed(node, item.taskId, item.error, item.start, item.end);
      case 'yield':
        return parts.streams.onYield(node, item.taskId, item.index, item.value, item.size, item.special === true, item.handlers);
      case 'actorReady':
        return parts.actors.onReady(node, item.actorId);
      case 'actorFailed':
        return parts.actors.onConstructorFailed(node, item.actorId, item.error);
      case 'submit': {
        if (!state.code.trusts(node, item.fn)) return state.code.refuse(node, item.fn.name);
        const options = validateTaskOptions(item.options, `remote(${item.fn.name})`);
        const record = parts.submission.newTask(item.taskId, item.fn, item.args, options, item.parentTaskId);
        parts.submission.countWorkerReturns(record, holder);
        return;
      }
      case 'submitActor': {
        if (!state.code.trusts(node, item.cls)) return state.code.refuse(node, item.cls.name);
        parts.actors.create(item.actorId, item.cls, item.args, validateActorOptions(item.options, `remote(${item.cls.name})`));
        state.workerActors.add(holder, item.actorId);
        return;
      }
      case 'submitCall': {
        const record = parts.submission.newCall(item.taskId, item.actor, item.method, item.args, item.options, item.streaming, item.parentTaskId);
        parts.submission.countWorkerReturns(record, holder);
        return;
      }
      case 'put':
        return parts.objectAccess.putFromWorker(item, holder);
      case 'putFailed':
        return parts.objectAccess.putFailedFromWorker(item.objectId, errorFromData(item.error), holder);
      case 'get':
        return parts.objectAccess.answerGet(node, workerId, item.requestId, item.ids, item.timeout);
      case 'wait':
        return parts.objectAccess.answerWait(node, workerId, item.requestId, item.ids, item.numReturns, item.timeout);
      case 'next':
        return parts.streams.answerNext(node, workerId, item.requestId, item.taskId, item.index);
      case 'release':
        return state.workerRefs.release(holder, item.counts);
      case 'log': {
        // A log names its task only if that task runs on the worker that sent it; anything else is
        // shown as the worker's own, so nobody can put words in another's task.
        const named = item.taskId ? state.tasks.get(item.taskId) : undefined;
        const record = named && runsOn(named, holder) ? named : undefined;
        return parts.events.log(node, workerId, record ? item.taskId : null, record, item.level, item.text, item.time);
      }
      case 'cancelRef':
        return this.cancel(new ObjectRef(item.objectId), { force: item.force, recursive: item.recursive });
      case 'kill': {
        const actor = state.actors.get(item.actorId);
        if (actor) this.kill(parts.actors.descriptor(actor), item.noRestart);
        return;
      }
      case 'dropStream':
        return parts.streams.abandon(item.taskId, holder);
      case 'closing':
        return; // handled by the node itself
      default:
        assertNever(item);
    }
  }

  #checkOpen(): void {
    if (this.#closed) throw new RayboxError('raybox has been shut down. Call init() to start it again.');
  }
}
