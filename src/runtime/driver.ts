import type { ActorDescriptor } from '../core/actor-handle-tag.ts';
import { makeActorHandle } from '../core/actor-handle.ts';
import type { EncodedArgs } from '../core/encoded.ts';
import {
  ActorDiedError,
  errorFromData,
  GetTimeoutError,
  ObjectLostError,
  RayboxError,
  RayboxUsageError,
  TaskCancelledError,
  TaskError,
  WorkerCrashedError,
  type ErrorData,
} from '../core/errors.ts';
import { EventBus, type NodeInfo, type RayboxEvent, type TaskState } from '../core/events.ts';
import type { ClassDescriptor, FunctionDescriptor } from '../core/function-descriptor.ts';
import { IdSource, returnId, yieldId } from '../core/ids.ts';
import { keepAlive } from '../core/keep-alive.ts';
import type { ClusterNode, DispatchArgs } from '../core/node.ts';
import { ObjectRef, RefTracker, setRefHooks } from '../core/object-ref.ts';
import { ObjectRefGenerator } from '../core/object-ref-generator.ts';
import { ObjectTable, type ObjectEntry } from '../core/object-table.ts';
import {
  requestedResources,
  validateActorOptions,
  validateTaskOptions,
  type ActorMethodOptions,
  type ActorOptions,
  type TaskOptions,
} from '../core/options.ts';
import type { Realm, WaitResult } from '../core/realm.ts';
import { shapeKey, sumResources, type Resources } from '../core/resources.ts';
import { Scheduler } from '../core/scheduler/scheduler.ts';
import { encodeArgs, encodePayload, mergeHandlers } from '../protocol/args-codec.ts';
import { assertNever, type FromWorker, type ReplyItem } from '../protocol/messages.ts';
import type { NodeHost, ProtocolNode } from '../protocol/node-host.ts';
import { decodeValue, type DecodeContext } from '../protocol/value-codec.ts';
import type { ActorRecord, PlacementRecord, TaskRecord } from './records.ts';

const decodeContext: DecodeContext = { reviveActor: (descriptor) => makeActorHandle(descriptor) };

/**
 * The head's runtime: it owns every object its code creates, keeps each task's lineage, resolves
 * arguments, schedules onto nodes and turns whatever comes back into stored values, retries or
 * errors. It is the realm of the page, and the host its nodes report to.
 */
export class Driver implements Realm, NodeHost {
  readonly nodeId: string;
  readonly events = new EventBus();
  #ids = new IdSource('');
  #objects: ObjectTable;
  #tasks = new Map<string, TaskRecord>();
  #actors = new Map<string, ActorRecord>();
  #namedActors = new Map<string, string>();
  #functions = new Map<string, string>();
  #nodes = new Map<string, ProtocolNode>();
  #departed: NodeInfo[] = [];
  #scheduler: Scheduler<PlacementRecord>;
  #pumpScheduled = false;
  #pendingGets = new Set<(error: Error) => void>();
  #fetching = new Map<string, Promise<void>>();
  #closed = false;

  constructor(nodeId: string) {
    this.nodeId = nodeId;
    this.#objects = new ObjectTable({
      created: (entry) => this.#emit({ type: 'object', time: Date.now(), change: 'created', objectId: entry.id, size: entry.size }),
      freed: (entry) => this.#objectFreed(entry),
    });
    this.#scheduler = new Scheduler<PlacementRecord>({
      offer: (record, node) => this.#offer(record, node as ProtocolNode),
      infeasible: (record, reason) => {
        if (record.kind === 'task') this.#taskEvent(record, 'PENDING_NODE', { infeasible: reason });
        else this.#actorEvent(record, { reason });
        console.warn(`raybox: ${record.kind === 'task' ? `task '${record.name}'` : `actor '${record.cls.name}'`} is waiting: ${reason}`);
      },
      unplaceable: (record, reason) => {
        const error = new RayboxUsageError(`Cannot place ${record.kind === 'task' ? `task '${record.name}'` : `actor '${record.cls.name}'`}: ${reason}.`);
        if (record.kind === 'task') this.#finishFailed(record, error);
        else this.#actorDead(record, reason);
      },
    });
    const tracker = new RefTracker((counts) => {
      for (const [id, n] of counts) this.#objects.removeRef(id, n);
    });
    setRefHooks({
      created: (ref) => {
        this.#objects.addRef(ref.id);
        tracker.created(ref);
      },
    });
  }

  // ── nodes ───────────────────────────────────────────────────────────────────────────────────

  addNode(node: ProtocolNode): void {
    this.#nodes.set(node.id, node);
    for (const [name, actorId] of this.#namedActors) {
      const actor = this.#actors.get(actorId);
      if (actor) node.broadcast({ type: 'namedActor', name, actor: this.#descriptor(actor) });
    }
    this.#emit({ type: 'node', time: Date.now(), change: 'added', node: node.info() });
    this.capacityFreed();
  }

  /** Takes a node out of the cluster (a peer left); its lost work is reported by the node itself. */
  removeNode(node: ProtocolNode): void {
    if (!this.#nodes.delete(node.id)) return;
    const info = { ...node.info(), alive: false };
    this.#departed.push(info);
    this.#emit({ type: 'node', time: Date.now(), change: 'removed', node: info });
    for (const entry of [...this.#objects.entries()]) {
      if (entry.state === 'ready' && entry.location === node.id) this.#lose(entry, `node ${node.id} that held it left`);
    }
  }

  /**
   * An object's only copy is gone. Rebuild it by running the task that made it again (its
   * lineage), while that task has retries left; otherwise it fails with ObjectLostError.
   */
  #lose(entry: ObjectEntry, why: string): void {
    const creator = entry.creator !== undefined ? this.#tasks.get(entry.creator) : undefined;
    if (creator && !isTerminal(creator.state)) {
      this.#objects.reset(entry.id); // its task is running again already and will make it anew
      return;
    }
    if (!creator || creator.stream || !this.#hasRetriesLeft(creator)) {
      this.#objects.reset(entry.id);
      this.#objects.fail(entry.id, new ObjectLostError(entry.id, creator ? `${why}, and '${creator.name}' has no retries left to rebuild it` : why));
      return;
    }
    for (const id of creator.returnIds) {
      const returned = this.#objects.get(id);
      if (returned && returned.location !== undefined) this.#objects.reset(id);
    }
    this.#objects.reset(entry.id);
    creator.state = 'PENDING_ARGS';
    creator.nodeId = undefined;
    creator.workerId = undefined;
    this.#taskEvent(creator, 'PENDING_ARGS', { attempt: creator.attempts + 1 });
    if (creator.actorId !== undefined) {
      this.#finishFailed(creator, new ObjectLostError(entry.id, `${why}; results of actor calls cannot be rebuilt`));
      return;
    }
    this.#resolveDeps(creator, () => this.#depsReady(creator));
  }

  /** Announces what changed about a node (its backend, its resources). */
  nodeUpdated(node: ProtocolNode): void {
    if (this.#nodes.has(node.id)) this.#emit({ type: 'node', time: Date.now(), change: 'updated', node: node.info() });
  }

  nodes(): NodeInfo[] {
    return [...[...this.#nodes.values()].map((n) => n.info()), ...this.#departed];
  }

  clusterResources(): Resources {
    return sumResources([...this.#nodes.values()].map((n) => n.total()));
  }

  availableResources(): Resources {
    return sumResources([...this.#nodes.values()].map((n) => n.available()));
  }

  objectStoreStats(): { count: number; bytes: number } {
    return this.#objects.stats();
  }

  /** A snapshot of unfinished work, for debugging a stuck run. */
  debugState(): unknown {
    const tasks = [...this.#tasks.values()].filter((t) => !isTerminal(t.state)).map((t) => ({ id: t.id, name: t.name, state: t.state, node: t.nodeId, worker: t.workerId, attempts: t.attempts, deps: t.pendingDeps }));
    const actors = [...this.#actors.values()].map((a) => ({ id: a.id, state: a.state, worker: a.workerId, queue: a.queue.length, running: a.running.size }));
    return { tasks, actors, queued: this.#scheduler.size, nodes: [...this.#nodes.values()].map((n) => (n as unknown as { debugState?: () => unknown }).debugState?.()) };
  }

  // ── Realm: what the public API calls ────────────────────────────────────────────────────────

  submitTask(fn: FunctionDescriptor, args: unknown[], options: TaskOptions): ObjectRef | ObjectRef[] | ObjectRefGenerator {
    this.#checkOpen();
    const taskId = this.#ids.taskId();
    const record = this.#newTask(taskId, fn, encodeArgs(args, fn.name), options, null);
    return this.#returnsOf(record);
  }

  createActor(cls: ClassDescriptor, args: unknown[], options: ActorOptions): ActorDescriptor {
    this.#checkOpen();
    const actor = this.#newActor(this.#ids.actorId(), cls, encodeArgs(args, `${cls.name} constructor`), options);
    return this.#descriptor(actor);
  }

  callActor(
    actor: ActorDescriptor,
    method: string,
    args: unknown[],
    options: ActorMethodOptions,
    streaming: boolean,
  ): ObjectRef | ObjectRef[] | ObjectRefGenerator {
    this.#checkOpen();
    const record = this.#newCall(this.#ids.taskId(), actor, method, encodeArgs(args, `${actor.className}.${method}`), options, streaming, null);
    return this.#returnsOf(record);
  }

  put(value: unknown): ObjectRef {
    this.#checkOpen();
    const id = this.#ids.putId();
    const payload = encodePayload(value, { label: 'The value given to put()' });
    this.#objects.create(id, undefined);
    // Ray copies on put; so do we, so that later changes to `value` do not reach the store.
    const stored = payload.special ? decodeValue(structuredClone(payload.value), decodeContext) : copyForStore(value);
    this.#objects.resolve(id, stored, payload.size, payload.special, payload.handlers);
    return new ObjectRef(id);
  }

  async get(refs: ObjectRef[], timeoutS: number | undefined): Promise<unknown[]> {
    const entries = this.#entriesOf(refs);
    const deadline = timeoutS === undefined ? undefined : performance.now() + timeoutS * 1000;
    for (;;) {
      const left = deadline === undefined ? undefined : Math.max(0, (deadline - performance.now()) / 1000);
      await this.#settled(entries, left, timeoutS ?? 0);
      const remote = entries.filter((entry) => entry.state === 'ready' && entry.location !== undefined);
      if (remote.length === 0) break;
      // Values held by peers come here first. A peer that left meanwhile puts its objects back
      // to pending (rebuilt from lineage), and the loop waits for them again.
      await Promise.allSettled(remote.map((entry) => this.#materialize(entry)));
    }
    keepAlive(refs);
    return settleGet(entries);
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
      for (const entry of entries) {
        if (entry.state !== 'pending') continue;
        this.#objects.whenSettled(entry, () => {
          if (--pending === 0) finish();
        });
      }
      if (timeoutS !== undefined) timer = setTimeout(() => finish(new GetTimeoutError(reportedTimeoutS, pending)), timeoutS * 1000);
    });
  }

  /** Brings the value of an object a peer holds to the head. */
  #materialize(entry: ObjectEntry): Promise<void> {
    const pending = this.#fetching.get(entry.id);
    if (pending) return pending;
    const node = entry.location !== undefined ? this.#nodes.get(entry.location) : undefined;
    if (!node?.fetchObject) {
      this.#lose(entry, `node ${entry.location ?? '?'} that held it is gone`);
      return Promise.resolve();
    }
    const location = entry.location;
    const fetching = node
      .fetchObject(entry.id)
      .then((held) => {
        if (entry.state !== 'ready' || entry.location !== location) return;
        this.#objects.materialized(entry, held.special ? decodeValue(held.value, decodeContext) : held.value);
        node.freeObjects?.([entry.id]);
      })
      .catch((error: unknown) => {
        if (entry.state === 'ready' && entry.location === location) this.#lose(entry, String(error));
      })
      .finally(() => this.#fetching.delete(entry.id));
    this.#fetching.set(entry.id, fetching);
    return fetching;
  }

  wait(refs: ObjectRef[], numReturns: number, timeoutS: number | undefined): Promise<WaitResult> {
    // `refs` stays referenced by the continuation below, so its objects live until it runs.
    return this.#waitIds(refs.map((r) => r.id), numReturns, timeoutS).then((ready) => ({
      ready: refs.filter((r) => ready.has(r.id)),
      notReady: refs.filter((r) => !ready.has(r.id)),
    }));
  }

  cancel(ref: ObjectRef, options: { force: boolean; recursive: boolean }): void {
    const entry = this.#objects.get(ref.id);
    const record = entry?.creator !== undefined ? this.#tasks.get(entry.creator) : this.#tasks.get(ref.id.split('.')[0] ?? '');
    if (!record) return; // finished and freed, or made by put(): nothing to cancel
    this.#cancelTask(record, options.force, options.recursive);
  }

  kill(descriptor: ActorDescriptor, noRestart: boolean): void {
    const actor = this.#resolveActor(descriptor);
    if (!actor || actor.state === 'DEAD') return;
    const node = actor.nodeId ? this.#nodes.get(actor.nodeId) : undefined;
    if (noRestart) {
      this.#actorDead(actor, 'killed by kill()');
      node?.killActor(actor.id);
    } else {
      node?.killActor(actor.id); // reported back as a worker death, which restarts it if allowed
    }
  }

  getActor(name: string): ActorDescriptor {
    const actorId = this.#namedActors.get(name);
    const actor = actorId ? this.#actors.get(actorId) : undefined;
    if (!actor) {
      const names = [...this.#namedActors.keys()];
      throw new RayboxUsageError(
        `No live actor is named '${name}'. ${names.length ? `Named actors: ${names.join(', ')}.` : 'There are no named actors.'} ` +
          "Create one with MyClass.options({ name: '...' }).remote().",
      );
    }
    return this.#descriptor(actor);
  }

  /** Publishes a metric row on the event stream. */
  reportMetrics(source: string, step: number, values: Record<string, number>): void {
    this.#emit({ type: 'metric', time: Date.now(), source, step, values });
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

  async shutdown(): Promise<void> {
    this.#closed = true;
    for (const reject of [...this.#pendingGets]) reject(new RayboxError('raybox was shut down before the objects were ready. Call init() to start again.'));
    const nodes = [...this.#nodes.values()];
    this.#nodes.clear();
    await Promise.all(nodes.map((n) => n.shutdown()));
    this.#tasks.clear();
    this.#actors.clear();
    this.#objects.clear();
  }

  // ── NodeHost: what nodes report ─────────────────────────────────────────────────────────────

  functionSource(fnId: string): string | undefined {
    return this.#functions.get(fnId);
  }

  capacityFreed(): void {
    if (this.#pumpScheduled || this.#closed) return;
    this.#pumpScheduled = true;
    queueMicrotask(() => {
      this.#pumpScheduled = false;
      if (!this.#closed) this.#scheduler.pump([...this.#nodes.values()]);
    });
  }

  workerDied(node: ProtocolNode, workerId: string, taskIds: string[], actorIds: string[], reason: string): void {
    for (const taskId of taskIds) {
      const record = this.#tasks.get(taskId);
      if (!record || record.nodeId !== node.id || isTerminal(record.state)) continue;
      if (record.actorId === undefined) this.#retryOrFail(record, reason);
    }
    for (const actorId of actorIds) {
      const actor = this.#actors.get(actorId);
      if (actor && actor.state !== 'DEAD') this.#actorLost(actor, reason);
    }
    this.capacityFreed();
  }

  handle(node: ProtocolNode, workerId: string, item: FromWorker): void {
    switch (item.type) {
      case 'started': {
        const record = this.#tasks.get(item.taskId);
        if (record && record.nodeId === node.id && record.state === 'RUNNING') this.#announceRunning(record, item.time);
        return;
      }
      case 'done':
        return this.#onDone(node, item.taskId, item.values, item.sizes, item.special, item.handlers, item.start, item.end, item.kept);
      case 'failed':
        return this.#onFailed(node, item.taskId, item.error, item.start, item.end);
      case 'yield':
        return this.#onYield(node, item.taskId, item.index, item.value, item.size, item.special, item.handlers);
      case 'actorReady': {
        const actor = this.#actors.get(item.actorId);
        if (!actor || actor.nodeId !== node.id || actor.state === 'DEAD') return;
        actor.state = 'ALIVE';
        this.#actorEvent(actor, {});
        this.#flushCalls(actor);
        return;
      }
      case 'actorFailed': {
        const actor = this.#actors.get(item.actorId);
        if (!actor || actor.nodeId !== node.id) return;
        const error = errorFromData(item.error);
        this.#actorDead(actor, `its constructor threw ${error.name}: ${error.message}`);
        node.killActor(actor.id);
        return;
      }
      case 'submit': {
        if (!this.#trusts(node, item.fn)) return this.#untrusted(node, item.fn.name);
        const options = validateTaskOptions(item.options, `remote(${item.fn.name})`);
        const record = this.#newTask(item.taskId, item.fn, argsOf(item), options, item.parentTaskId);
        this.#countWorkerReturns(record);
        return;
      }
      case 'submitActor': {
        if (!this.#trusts(node, item.cls)) return this.#untrusted(node, item.cls.name);
        const actor = this.#newActor(item.actorId, item.cls, argsOf(item), validateActorOptions(item.options, `remote(${item.cls.name})`));
        void actor;
        return;
      }
      case 'submitCall': {
        const record = this.#newCall(item.taskId, item.actor, item.method, argsOf(item), item.options, item.streaming, item.parentTaskId);
        this.#countWorkerReturns(record);
        return;
      }
      case 'put': {
        this.#objects.create(item.objectId, undefined);
        const value = item.special ? decodeValue(item.value, decodeContext) : item.value;
        this.#objects.resolve(item.objectId, value, item.size, item.special, item.handlers);
        this.#objects.addRef(item.objectId); // the worker's own ref
        return;
      }
      case 'get':
        return this.#answerGet(node, workerId, item.requestId, item.ids, item.timeout);
      case 'wait':
        this.#waitIds(item.ids, item.numReturns, item.timeout ?? undefined).then(
          (ready) => node.send(workerId, { type: 'reply', requestId: item.requestId, ok: true, value: [...ready], special: false }),
          (error: unknown) => node.send(workerId, replyError(item.requestId, error)),
        );
        return;
      case 'next':
        this.#nextYield(item.taskId, item.index).then(
          (id) => {
            if (id !== null) this.#objects.addRef(id); // the worker's ref
            node.send(workerId, { type: 'reply', requestId: item.requestId, ok: true, value: id, special: false });
          },
          (error: unknown) => node.send(workerId, replyError(item.requestId, error)),
        );
        return;
      case 'release':
        for (const [id, count] of item.counts) this.#objects.removeRef(id, count);
        return;
      case 'log':
        return this.#onLog(node, workerId, item.taskId, item.level, item.text, item.time);
      case 'cancelRef':
        return this.cancel(new ObjectRef(item.objectId), { force: item.force, recursive: item.recursive });
      case 'kill': {
        const actor = this.#actors.get(item.actorId);
        if (actor) this.kill(this.#descriptor(actor), item.noRestart);
        return;
      }
      case 'closing':
        return; // handled by the node itself
      default:
        assertNever(item);
    }
  }

  // ── trust ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Only code the head wrote runs anywhere. A peer may submit a function only if the head knows
   * it already, or if its source is part of the source of a function the head sent (a task that
   * defines a nested remote function). Anything else a peer sends as code is refused.
   */
  #trusts(node: ProtocolNode, fn: FunctionDescriptor): boolean {
    if (node.isLocal) return true;
    const known = this.#functions.get(fn.fnId);
    if (known !== undefined) return fn.source === '' || fn.source === known;
    if (fn.source === '' || fn.source.length < 8) return false;
    for (const source of this.#functions.values()) if (source.includes(fn.source)) return true;
    return false;
  }

  #untrusted(node: ProtocolNode, name: string): void {
    console.warn(`raybox: refused code '${name}' submitted by ${node.info().label}: the head never sent it.`);
  }

  // ── tasks ───────────────────────────────────────────────────────────────────────────────────

  #newTask(taskId: string, given: FunctionDescriptor, args: EncodedArgs, options: TaskOptions, parent: string | null): TaskRecord {
    const fn = this.#withSource(given);
    const resources = requestedResources(options, 1);
    const numReturns = fn.streaming ? 0 : (options.numReturns ?? 1);
    const record = newTaskRecord({
      id: taskId,
      name: options.name ?? fn.name,
      fn,
      actorId: undefined,
      method: undefined,
      args,
      numReturns,
      streaming: fn.streaming,
      resources,
      strategy: options.schedulingStrategy ?? 'DEFAULT',
      maxRetries: options.maxRetries ?? 3,
      retryExceptions: options.retryExceptions ?? false,
      parent,
    });
    this.#register(record);
    this.#resolveDeps(record, () => this.#depsReady(record));
    return record;
  }

  #newCall(
    taskId: string,
    descriptor: ActorDescriptor,
    method: string,
    args: EncodedArgs,
    options: ActorMethodOptions,
    streaming: boolean,
    parent: string | null,
  ): TaskRecord {
    const actor = this.#resolveActor(descriptor);
    const numReturns = streaming ? 0 : (options.numReturns ?? 1);
    const record = newTaskRecord({
      id: taskId,
      name: options.name ?? `${descriptor.className}.${method}`,
      fn: undefined,
      actorId: actor?.id ?? descriptor.actorId,
      method,
      args,
      numReturns,
      streaming,
      resources: {},
      strategy: 'DEFAULT',
      maxRetries: actor?.maxTaskRetries ?? 0,
      retryExceptions: false,
      parent,
    });
    this.#register(record);
    if (!actor || actor.state === 'DEAD') {
      this.#finishFailed(record, new ActorDiedError(descriptor.name ?? descriptor.className, actor?.deathReason ?? 'it does not exist'));
      return record;
    }
    actor.queue.push(record);
    this.#resolveDeps(record, () => this.#flushCalls(actor));
    return record;
  }

  /** Workers send a function's source only once; later descriptors come without it. */
  #withSource<T extends FunctionDescriptor>(fn: T): T {
    if (fn.source !== '') {
      if (!this.#functions.has(fn.fnId)) this.#functions.set(fn.fnId, fn.source);
      return fn;
    }
    const source = this.#functions.get(fn.fnId);
    if (source === undefined) throw new RayboxError(`The source of function ${fn.name} (${fn.fnId}) never reached the head. This is a bug: please report it.`);
    return { ...fn, source };
  }

  #register(record: TaskRecord): void {
    this.#tasks.set(record.id, record);
    for (const id of record.returnIds) this.#objects.create(id, record.id);
    this.#pinArgs(record.args, 1);
    if (record.parent) {
      const parent = this.#tasks.get(record.parent);
      if (parent) (parent.children ??= new Set()).add(record.id);
    }
    this.#taskEvent(record, 'PENDING_ARGS', {});
  }

  /** Refs for the caller in this realm; the ObjectRef constructor counts each. */
  #returnsOf(record: TaskRecord): ObjectRef | ObjectRef[] | ObjectRefGenerator {
    if (record.streaming) return new ObjectRefGenerator(record.id, (taskId, index) => this.#nextRef(taskId, index));
    if (record.numReturns === 1) return new ObjectRef(record.returnIds[0] as string);
    return record.returnIds.map((id) => new ObjectRef(id));
  }

  /** A worker that submitted a task holds one ref per return object. */
  #countWorkerReturns(record: TaskRecord): void {
    for (const id of record.returnIds) this.#objects.addRef(id);
  }

  #pinArgs(args: EncodedArgs, delta: 1 | -1): void {
    const change = delta === 1 ? (id: string) => this.#objects.addRef(id) : (id: string) => this.#objects.removeRef(id);
    if (args.refArgs) for (const id of args.refArgs) if (id !== null) change(id);
    for (const id of args.nestedRefs) change(id);
  }

  /** Calls `ready` once every top-level ref argument is ready or failed. */
  #resolveDeps(record: { args: EncodedArgs; pendingDeps: number }, ready: () => void): void {
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
      const entry = this.#objects.get(id);
      if (!entry) continue; // freed: reported when the task is dispatched
      pending++;
      this.#objects.whenSettled(entry, settle);
    }
    record.pendingDeps = pending - 1;
    settle();
  }

  /** The first failed dependency, which the task then fails with, as Ray does. */
  #depError(args: EncodedArgs): Error | undefined {
    if (!args.refArgs) return undefined;
    for (const id of args.refArgs) {
      if (id === null) continue;
      const entry = this.#objects.get(id);
      if (!entry) return new ObjectLostError(id, 'it was freed before the task that takes it could run');
      if (entry.state === 'failed') return entry.error;
    }
    return undefined;
  }

  #depsReady(record: TaskRecord): void {
    if (record.state !== 'PENDING_ARGS' && record.state !== 'PENDING_NODE') return;
    const error = this.#depError(record.args);
    if (error) return this.#finishFailed(record, error);
    record.locality = this.#localityOf(record.args);
    record.state = 'PENDING_NODE';
    this.#taskEvent(record, 'PENDING_NODE', {});
    this.#scheduler.enqueue(record);
    this.capacityFreed();
  }

  /**
   * Arguments as they travel to `nodeId`: top-level refs replaced by their values, encoded; a
   * value that node holds itself is named, not sent.
   */
  #dispatchArgs(args: EncodedArgs, nodeId: string): DispatchArgs {
    let special = args.special;
    let handlers = args.handlers;
    let values = args.values;
    let held: [number, string][] | undefined;
    if (args.refArgs) {
      values = values.slice();
      for (let i = 0; i < args.refArgs.length; i++) {
        const id = args.refArgs[i];
        if (id === null || id === undefined) continue;
        const entry = this.#objects.get(id) as ObjectEntry;
        if (entry.location === nodeId) {
          (held ??= []).push([i, id]);
          values[i] = null;
          continue;
        }
        values[i] = this.#outgoing(entry);
        special ||= entry.special;
        handlers = mergeHandlers(handlers, entry.handlers);
      }
    }
    for (const id of args.nestedRefs) this.#objects.addRef(id); // the receiving worker's refs
    return held ? { values, special, handlers, held } : { values, special, handlers };
  }

  /**
   * Top-level arguments held by a node other than `nodeId`: they must come to the head before the
   * work can go there. Starts fetching them and returns true while any is on its way.
   */
  #needsFetch(args: EncodedArgs, nodeId: string, then: () => void): boolean {
    if (!args.refArgs) return false;
    const fetches: Promise<void>[] = [];
    for (const id of args.refArgs) {
      if (id === null) continue;
      const entry = this.#objects.get(id);
      if (entry?.state === 'ready' && entry.location !== undefined && entry.location !== nodeId) fetches.push(this.#materialize(entry));
    }
    if (fetches.length === 0) return false;
    void Promise.allSettled(fetches).then(then);
    return true;
  }

  /** The peer holding the largest top-level argument, for the scheduler to prefer. */
  #localityOf(args: EncodedArgs): string | undefined {
    let best: ObjectEntry | undefined;
    for (const id of args.refArgs ?? []) {
      const entry = id === null ? undefined : this.#objects.get(id);
      if (entry?.location !== undefined && (!best || entry.size > best.size)) best = entry;
    }
    return best?.location;
  }

  /** A stored value ready to send: re-encoded when it holds refs, counting the receiver's refs. */
  #outgoing(entry: ObjectEntry): unknown {
    if (!entry.special) return entry.value;
    return encodePayload(entry.value, { onRef: (id) => this.#objects.addRef(id) }).value;
  }

  #offer(record: PlacementRecord, node: ProtocolNode): boolean {
    if (record.kind === 'actor') return this.#offerActor(record, node);
    if (this.#needsFetch(record.args, node.id, () => this.capacityFreed())) return false;
    const fn = record.fn as FunctionDescriptor;
    const accepted = node.tryDispatch({
      taskId: record.id,
      name: record.name,
      fnId: fn.fnId,
      source: fn.source,
      args: () => this.#dispatchArgs(record.args, node.id),
      numReturns: record.numReturns,
      streaming: record.streaming,
      resources: record.resources,
      shape: record.shape,
    });
    if (accepted === false) return false;
    record.state = 'RUNNING';
    record.nodeId = node.id;
    record.workerId = accepted.workerId;
    record.attempts++;
    record.runningAnnounced = false;
    // A task that starts at once (not queued behind others) is running now: say so now, so a
    // long synchronous task shows as running while it runs.
    if (!accepted.queued) this.#announceRunning(record, Date.now());
    return true;
  }

  #onDone(
    node: ClusterNode,
    taskId: string,
    values: unknown[],
    sizes: number[],
    special: boolean,
    handlers: string[] | undefined,
    start: number,
    end: number,
    kept: number[] | undefined,
  ): void {
    const record = this.#tasks.get(taskId);
    if (!record || record.nodeId !== node.id || isTerminal(record.state)) return; // late or duplicate
    if (record.numReturns > 1 && values.length !== record.numReturns) {
      return this.#finishFailed(
        record,
        new TaskError({
          remoteName: 'RayboxUsageError',
          remoteMessage: `'${record.name}' has numReturns: ${record.numReturns} but returned ${values.length} value(s). Return an array of exactly ${record.numReturns} values.`,
          taskName: record.name,
          nodeId: node.id,
        }),
      );
    }
    for (let i = 0; i < record.returnIds.length; i++) {
      const id = record.returnIds[i] as string;
      if (kept?.includes(i) && !node.isLocal) {
        this.#objects.resolveRemote(id, node.id, sizes[i] ?? 0, special, handlers);
        continue;
      }
      const value = special ? decodeValue(values[i], decodeContext) : values[i];
      this.#objects.resolve(id, value, sizes[i] ?? 0, special, handlers);
    }
    if (record.stream) this.#endStream(record, undefined);
    this.#finish(record, 'FINISHED', { time: end, start });
  }

  #onFailed(node: ClusterNode, taskId: string, data: ErrorData, start: number, end: number): void {
    const record = this.#tasks.get(taskId);
    if (!record || record.nodeId !== node.id || isTerminal(record.state)) return;
    const retry = record.retryExceptions;
    const retryable = retry === true || (Array.isArray(retry) && retry.includes(data.name));
    if (retryable && !record.cancelled && this.#hasRetriesLeft(record)) {
      this.#requeue(record);
      return;
    }
    const error = new TaskError({
      remoteName: data.name,
      remoteMessage: data.message,
      remoteStack: data.stack ?? '',
      taskName: record.name,
      nodeId: node.id,
    });
    this.#finishFailed(record, error, { time: end, start });
  }

  #onYield(node: ClusterNode, taskId: string, index: number, value: unknown, size: number, special: boolean, handlers: string[] | undefined): void {
    const record = this.#tasks.get(taskId);
    const stream = record?.stream;
    if (!record || !stream || record.nodeId !== node.id || isTerminal(record.state)) return;
    if (index < stream.yielded.length) return; // a retried stream yields again what it already gave
    const id = yieldId(taskId, index);
    this.#objects.create(id, taskId);
    this.#objects.resolve(id, special ? decodeValue(value, decodeContext) : value, size, special, handlers);
    stream.refs.push(new ObjectRef(id)); // held until the consumer has taken it
    stream.yielded.push(id);
    this.#wakeStream(record);
  }

  #endStream(record: TaskRecord, error: Error | undefined): void {
    const stream = record.stream;
    if (!stream) return;
    stream.done = true;
    stream.error = error;
    this.#wakeStream(record);
  }

  #wakeStream(record: TaskRecord): void {
    const waiters = record.stream?.waiters ?? [];
    if (record.stream) record.stream.waiters = [];
    for (const wake of waiters) wake();
  }

  #nextYield(taskId: string, index: number): Promise<string | null> {
    const record = this.#tasks.get(taskId);
    const stream = record?.stream;
    if (!stream) return Promise.reject(new RayboxUsageError(`No streaming task ${taskId} is known: iterate a generator only once.`));
    return new Promise((resolve, reject) => {
      const check = () => {
        const id = stream.yielded[index];
        if (id !== undefined) {
          // Hand the stream's own ref over: the object lives as long as the consumer keeps it.
          stream.refs[index] = undefined;
          resolve(id);
          return;
        }
        if (stream.done) {
          // The consumer has seen the end: the record is no longer needed.
          if (record && isTerminal(record.state)) this.#dropTask(record);
          if (stream.error) reject(stream.error);
          else resolve(null);
          return;
        }
        stream.waiters.push(check);
      };
      check();
    });
  }

  async #nextRef(taskId: string, index: number): Promise<ObjectRef | undefined> {
    const id = await this.#nextYield(taskId, index);
    return id === null ? undefined : new ObjectRef(id);
  }

  #hasRetriesLeft(record: TaskRecord): boolean {
    return record.maxRetries === -1 || record.attempts <= record.maxRetries;
  }

  #requeue(record: TaskRecord): void {
    record.state = 'PENDING_NODE';
    record.nodeId = undefined;
    record.workerId = undefined;
    this.#taskEvent(record, 'PENDING_NODE', { attempt: record.attempts + 1 });
    if (record.actorId !== undefined) {
      const actor = this.#actors.get(record.actorId);
      if (actor) {
        actor.running.delete(record.id);
        actor.queue.unshift(record);
      }
      return;
    }
    this.#scheduler.enqueue(record);
    this.capacityFreed();
  }

  /** A system failure (worker or peer lost) under a task: retry while allowed, else fail. */
  #retryOrFail(record: TaskRecord, reason: string): void {
    if (record.cancelled) return this.#finishCancelled(record);
    if (this.#hasRetriesLeft(record)) return this.#requeue(record);
    const error = record.actorId !== undefined
      ? new ActorDiedError(record.name.split('.')[0] ?? record.name, reason)
      : new WorkerCrashedError(record.name, record.attempts);
    this.#finishFailed(record, error);
  }

  #finishFailed(record: TaskRecord, error: Error, timing: { time?: number; start?: number } = {}): void {
    for (const id of record.returnIds) this.#objects.fail(id, error);
    if (record.stream) this.#endStream(record, error);
    this.#finish(record, 'FAILED', { ...timing, error: toEventError(error) });
  }

  #finishCancelled(record: TaskRecord): void {
    const error = new TaskCancelledError(record.name);
    for (const id of record.returnIds) this.#objects.fail(id, error);
    if (record.stream) this.#endStream(record, error);
    this.#finish(record, 'CANCELLED', {});
  }

  #finish(record: TaskRecord, state: TaskState, extra: { time?: number; start?: number; error?: ErrorData }): void {
    if (state === 'FINISHED' && extra.start !== undefined) this.#announceRunning(record, extra.start);
    record.state = state;
    this.#taskEvent(record, state, extra);
    if (record.parent) this.#tasks.get(record.parent)?.children?.delete(record.id);
    if (record.actorId !== undefined) {
      const actor = this.#actors.get(record.actorId);
      actor?.running.delete(record.id);
    }
    // A streaming task stays until its consumer reaches the end of the stream.
    if (record.liveReturns <= 0 && !record.stream) this.#dropTask(record);
  }

  /** Forgets a finished task whose results are all freed, releasing its arguments. */
  #dropTask(record: TaskRecord): void {
    if (!this.#tasks.delete(record.id)) return;
    this.#pinArgs(record.args, -1);
  }

  #objectFreed(entry: ObjectEntry): void {
    this.#emit({ type: 'object', time: Date.now(), change: 'released', objectId: entry.id, size: entry.size });
    if (entry.location !== undefined) this.#nodes.get(entry.location)?.freeObjects?.([entry.id]);
    if (entry.creator === undefined) return;
    const record = this.#tasks.get(entry.creator);
    if (!record || record.stream) return;
    record.liveReturns--;
    if (record.liveReturns <= 0 && isTerminal(record.state)) this.#dropTask(record);
  }

  #cancelTask(record: TaskRecord, force: boolean, recursive: boolean): void {
    if (isTerminal(record.state)) return;
    if (recursive && record.children) {
      for (const childId of [...record.children]) {
        const child = this.#tasks.get(childId);
        if (child) this.#cancelTask(child, force, recursive);
      }
    }
    record.cancelled = true;
    if (record.state === 'PENDING_ARGS' || record.state === 'PENDING_NODE') {
      if (record.actorId !== undefined) {
        const actor = this.#actors.get(record.actorId);
        if (actor) actor.queue = actor.queue.filter((r) => r !== record);
      } else {
        this.#scheduler.remove(record.id);
      }
      return this.#finishCancelled(record);
    }
    const node = record.nodeId ? this.#nodes.get(record.nodeId) : undefined;
    this.#finishCancelled(record);
    node?.cancel(record.id, force && record.actorId === undefined);
  }

  // ── actors ──────────────────────────────────────────────────────────────────────────────────

  #newActor(actorId: string, given: ClassDescriptor, args: EncodedArgs, options: ActorOptions): ActorRecord {
    const cls = this.#withSource(given);
    if (options.name !== undefined && this.#namedActors.has(options.name)) {
      throw new RayboxUsageError(
        `An actor named '${options.name}' already exists. Use getActor('${options.name}') to reach it, or kill it first.`,
      );
    }
    const resources = requestedResources(options, 0);
    const actor: ActorRecord = {
      kind: 'actor',
      id: actorId,
      cls,
      name: options.name,
      args,
      resources,
      strategy: options.schedulingStrategy ?? 'DEFAULT',
      maxConcurrency: options.maxConcurrency ?? 1,
      maxTaskRetries: options.maxTaskRetries ?? 0,
      restartsLeft: options.maxRestarts ?? 0,
      state: 'PENDING',
      pendingDeps: 0,
      nodeId: undefined,
      workerId: undefined,
      queue: [],
      running: new Map(),
      deathReason: undefined,
    };
    this.#actors.set(actorId, actor);
    this.#pinArgs(args, 1);
    if (actor.name !== undefined) {
      this.#namedActors.set(actor.name, actorId);
      this.#broadcast({ type: 'namedActor', name: actor.name, actor: this.#descriptor(actor) });
    }
    this.#actorEvent(actor, {});
    this.#resolveDeps(actor, () => {
      const error = this.#depError(actor.args);
      if (error) return this.#actorDead(actor, `a constructor argument failed: ${error.message}`);
      this.#scheduler.enqueue(actor);
      this.capacityFreed();
    });
    return actor;
  }

  #offerActor(actor: ActorRecord, node: ProtocolNode): boolean {
    if (actor.state === 'DEAD') return true; // killed while queued: drop it
    if (this.#needsFetch(actor.args, node.id, () => this.capacityFreed())) return false;
    const accepted = node.tryStartActor({
      actorId: actor.id,
      className: actor.cls.name,
      fnId: actor.cls.fnId,
      source: actor.cls.source,
      args: () => this.#dispatchArgs(actor.args, node.id),
      resources: actor.resources,
      maxConcurrency: actor.maxConcurrency,
    });
    if (accepted === false) return false;
    actor.nodeId = node.id;
    actor.workerId = accepted;
    return true;
  }

  #resolveActor(descriptor: ActorDescriptor): ActorRecord | undefined {
    const byId = this.#actors.get(descriptor.actorId);
    if (byId) return byId;
    const byName = descriptor.name !== undefined ? this.#namedActors.get(descriptor.name) : undefined;
    return byName ? this.#actors.get(byName) : undefined;
  }

  #descriptor(actor: ActorRecord): ActorDescriptor {
    const d: ActorDescriptor = {
      actorId: actor.id,
      className: actor.cls.name,
      methods: actor.cls.methods,
      streamingMethods: actor.cls.streamingMethods,
    };
    if (actor.name !== undefined) d.name = actor.name;
    return d;
  }

  /** Sends queued calls in submission order; a call still waiting for its arguments holds back the rest. */
  #flushCalls(actor: ActorRecord): void {
    if (actor.state !== 'ALIVE') return;
    const node = actor.nodeId ? this.#nodes.get(actor.nodeId) : undefined;
    if (!node) return;
    while (actor.queue.length > 0) {
      const record = actor.queue[0] as TaskRecord;
      if (record.pendingDeps > 0) return;
      if (isTerminal(record.state)) {
        actor.queue.shift();
        continue;
      }
      const error = this.#depError(record.args);
      if (error) {
        actor.queue.shift();
        this.#finishFailed(record, error);
        continue;
      }
      // Calls go in order: one whose argument a third node holds waits, and the rest behind it.
      if (this.#needsFetch(record.args, node.id, () => this.#flushCalls(actor))) return;
      actor.queue.shift();
      record.state = 'RUNNING';
      record.nodeId = node.id;
      record.workerId = actor.workerId;
      record.attempts++;
      record.runningAnnounced = false;
      // Calls run one after another: the first of them starts now.
      if (actor.running.size === 0) this.#announceRunning(record, Date.now());
      actor.running.set(record.id, record);
      node.callActor({
        taskId: record.id,
        actorId: actor.id,
        name: record.name,
        method: record.method as string,
        args: () => this.#dispatchArgs(record.args, node.id),
        numReturns: record.numReturns,
        streaming: record.streaming,
      });
    }
  }

  #actorLost(actor: ActorRecord, reason: string): void {
    const running = [...actor.running.values()];
    actor.running.clear();
    if (actor.restartsLeft !== 0) {
      if (actor.restartsLeft > 0) actor.restartsLeft--;
      actor.state = 'RESTARTING';
      actor.nodeId = undefined;
      this.#actorEvent(actor, { reason });
      // Calls that were running go back to the front, in order, while retries allow.
      for (const record of running.reverse()) {
        if (this.#hasRetriesLeft(record) && !record.cancelled) {
          record.state = 'PENDING_NODE';
          record.nodeId = undefined;
          actor.queue.unshift(record);
        } else {
          this.#finishFailed(record, new ActorDiedError(actor.name ?? actor.cls.name, reason));
        }
      }
      this.#scheduler.enqueue(actor);
      this.capacityFreed();
      return;
    }
    for (const record of running) this.#finishFailed(record, new ActorDiedError(actor.name ?? actor.cls.name, reason));
    this.#actorDead(actor, reason);
  }

  #actorDead(actor: ActorRecord, reason: string): void {
    if (actor.state === 'DEAD') return;
    actor.state = 'DEAD';
    actor.deathReason = reason;
    const error = new ActorDiedError(actor.name ?? actor.cls.name, reason);
    for (const record of [...actor.queue, ...actor.running.values()]) this.#finishFailed(record, error);
    actor.queue = [];
    actor.running.clear();
    if (actor.name !== undefined && this.#namedActors.get(actor.name) === actor.id) {
      this.#namedActors.delete(actor.name);
      this.#broadcast({ type: 'namedActor', name: actor.name, actor: null });
    }
    this.#pinArgs(actor.args, -1);
    this.#actorEvent(actor, { reason });
  }

  // ── objects ─────────────────────────────────────────────────────────────────────────────────

  #entriesOf(refs: ObjectRef[]): ObjectEntry[] {
    return refs.map((ref) => {
      const entry = this.#objects.get(ref.id);
      if (!entry) throw new ObjectLostError(ref.id, 'it is not in this runtime (freed, or made before a shutdown)');
      return entry;
    });
  }

  #waitIds(ids: string[], numReturns: number, timeoutS: number | undefined): Promise<Set<string>> {
    const ready = new Set<string>();
    const entries = ids.map((id) => this.#objects.get(id));
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
        this.#objects.whenSettled(entry, () => {
          if (done) return;
          ready.add(ids[i] as string);
          if (ready.size >= numReturns) finish();
        });
      });
      this.#pendingGets.add(finish);
      const timer = timeoutS !== undefined ? setTimeout(finish, timeoutS * 1000) : undefined;
    });
  }

  #answerGet(node: ProtocolNode, workerId: string, requestId: number, ids: string[], timeoutS: number | null): void {
    let entries: ObjectEntry[];
    try {
      entries = this.#entriesOf(ids.map((id) => ({ id }) as ObjectRef));
    } catch (error) {
      node.send(workerId, replyError(requestId, error));
      return;
    }
    const refs = entries.map((entry) => ({ id: entry.id }) as ObjectRef);
    this.get(refs, timeoutS ?? undefined).then(
      () => {
        let special = false;
        let handlers: string[] | undefined;
        const values = entries.map((entry) => {
          special ||= entry.special;
          handlers = mergeHandlers(handlers, entry.handlers);
          return this.#outgoing(entry);
        });
        node.send(workerId, { type: 'reply', requestId, ok: true, value: values, special, handlers });
      },
      (error: unknown) => node.send(workerId, replyError(requestId, error)),
    );
  }

  // ── events and logs ─────────────────────────────────────────────────────────────────────────

  #onLog(node: ClusterNode, workerId: string, taskId: string | null, level: 'log' | 'info' | 'warn' | 'error' | 'debug', text: string, time: number): void {
    const record = taskId ? this.#tasks.get(taskId) : undefined;
    const name = record?.name ?? 'worker';
    console[level](`(${name} ${node.id}/${workerId}) ${text}`);
    this.#emit({ type: 'log', time, level, text, taskId: taskId ?? '', name, nodeId: node.id, workerId });
  }

  #announceRunning(record: TaskRecord, time: number): void {
    if (record.runningAnnounced) return;
    record.runningAnnounced = true;
    this.#taskEvent(record, 'RUNNING', { time });
  }

  #taskEvent(record: TaskRecord, state: TaskState, extra: { time?: number; infeasible?: string; error?: ErrorData; attempt?: number; start?: number }): void {
    if (!this.events.active) return;
    const event: RayboxEvent = {
      type: 'task',
      time: extra.time ?? Date.now(),
      taskId: record.id,
      name: record.name,
      state,
    };
    if (record.nodeId !== undefined) event.nodeId = record.nodeId;
    if (record.workerId !== undefined) event.workerId = record.workerId;
    if (record.actorId !== undefined) event.actorId = record.actorId;
    if (extra.infeasible !== undefined) event.infeasible = extra.infeasible;
    if (extra.error !== undefined) event.error = extra.error;
    if (extra.attempt !== undefined) event.attempt = extra.attempt;
    this.events.emit(event);
  }

  #actorEvent(actor: ActorRecord, extra: { reason?: string }): void {
    if (!this.events.active) return;
    const event: RayboxEvent = { type: 'actor', time: Date.now(), actorId: actor.id, className: actor.cls.name, state: actor.state };
    if (actor.name !== undefined) event.name = actor.name;
    if (actor.nodeId !== undefined) event.nodeId = actor.nodeId;
    if (actor.workerId !== undefined) event.workerId = actor.workerId;
    if (extra.reason !== undefined) event.reason = extra.reason;
    this.events.emit(event);
  }

  #emit(event: RayboxEvent): void {
    if (this.events.active) this.events.emit(event);
  }

  #broadcast(item: Parameters<ProtocolNode['broadcast']>[0]): void {
    for (const node of this.#nodes.values()) node.broadcast(item);
  }

  #checkOpen(): void {
    if (this.#closed) throw new RayboxError('raybox has been shut down. Call init() to start it again.');
  }
}

function isTerminal(state: TaskState): boolean {
  return state === 'FINISHED' || state === 'FAILED' || state === 'CANCELLED';
}

/** A task record as submitted: what varies between tasks and actor calls, the rest at its start. */
function newTaskRecord(
  given: Pick<TaskRecord, 'id' | 'name' | 'fn' | 'actorId' | 'method' | 'args' | 'numReturns' | 'streaming' | 'resources' | 'strategy' | 'maxRetries' | 'retryExceptions' | 'parent'>,
): TaskRecord {
  return {
    ...given,
    kind: 'task',
    returnIds: returnIds(given.id, given.numReturns),
    shape: shapeKey(given.resources),
    locality: undefined,
    attempts: 0,
    state: 'PENDING_ARGS',
    runningAnnounced: false,
    pendingDeps: 0,
    nodeId: undefined,
    workerId: undefined,
    children: undefined,
    cancelled: false,
    liveReturns: given.numReturns,
    stream: given.streaming ? { yielded: [], done: false, error: undefined, waiters: [], refs: [] } : undefined,
  };
}

function returnIds(taskId: string, numReturns: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < numReturns; i++) ids.push(returnId(taskId, i));
  return ids;
}

function argsOf(item: { args: unknown[]; refArgs: (string | null)[] | null; nestedRefs: string[]; special: boolean; handlers?: string[] | undefined }): EncodedArgs {
  return { values: item.args, refArgs: item.refArgs, nestedRefs: item.nestedRefs, special: item.special, handlers: item.handlers };
}

async function settleGet(entries: ObjectEntry[]): Promise<unknown[]> {
  const values = new Array<unknown>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as ObjectEntry;
    if (entry.state === 'failed') throw entry.error;
    values[i] = entry.value;
  }
  return values;
}

function replyError(requestId: number, error: unknown): ReplyItem {
  const e = error instanceof Error ? error : new Error(String(error));
  const data: ErrorData = { name: e.name, message: e.message };
  if (e.stack !== undefined) data.stack = e.stack;
  if (e instanceof RayboxError) {
    const details = e.details();
    if (details) data.details = details;
  }
  return { type: 'reply', requestId, ok: false, error: data };
}

function toEventError(error: Error): ErrorData {
  const data: ErrorData = { name: error.name, message: error.message };
  if (error.stack !== undefined) data.stack = error.stack;
  return data;
}

/** A private copy of a value for the store: typed arrays by memcpy, the rest by structured clone. */
function copyForStore(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return (value as unknown as { slice(): unknown }).slice();
  if (value instanceof ArrayBuffer) return value.slice(0);
  return structuredClone(value);
}
