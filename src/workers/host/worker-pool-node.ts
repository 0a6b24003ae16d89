import type { Backend, NodeInfo } from '../../core/events.ts';
import type { ActorCall, ActorStart, Dispatched, DispatchArgs, HeldObject, TaskDispatch } from '../../core/node.ts';
import { add, fits, subtract, type Resources } from '../../core/resources.ts';
import type { CallActorItem, FromWorker, RunItem, ToWorker } from '../../protocol/messages.ts';
import type { NodeHost, ProtocolNode } from '../../protocol/node-host.ts';
import { PipelineDepth } from './pipeline-depth.ts';
import { SlicedQueue } from './sliced-queue.ts';
import { joinByChannel, type PoolWorkerLink, type WorkerLinkEvents } from './pool-worker-link.ts';

export interface WorkerPoolNodeOptions {
  nodeId: string;
  numWorkers: number;
  /** Custom resources this node offers, besides CPU (one per worker) and GPU. */
  resources?: Resources;
  /** Starts one worker: in this page, or on a peer. */
  spawn: (workerId: string, events: WorkerLinkEvents) => PoolWorkerLink;
  /** Objects the node holds itself (a peer's large results). */
  objects?: { fetch(objectId: string): Promise<HeldObject>; free(objectIds: string[]): void };
  isLocal: boolean;
  label: string;
  /**
   * A worker sent something it is not entitled to (a result for a task it was not given, a ref it
   * does not hold …), which was dropped. A peer's node counts these as bad messages.
   * @default a console warning
   */
  refused?: (workerId: string, reason: string) => void;
  backend?: Backend | null;
  /**
   * Joins two of its workers by a MessageChannel where the workers run (a peer's sandbox makes it
   * there); without it, the node's links hand over the ends themselves (`handPort`).
   */
  connect?: (workerA: string, workerB: string, key: string) => boolean;
}

/**
 * Adds to a run or call item the fields that differ from what the worker assumes when they are
 * absent (no special values, one return, no stream): a sync task's round trip clones every field,
 * so the common case sends none of them.
 */
function withoutDefaults<I extends RunItem | CallActorItem>(item: I, args: DispatchArgs, returns: { numReturns: number; streaming: boolean }): I {
  if (args.special) item.special = true;
  if (args.handlers) item.handlers = args.handlers;
  if (args.held) item.held = args.held;
  if (returns.numReturns !== 1) item.numReturns = returns.numReturns;
  if (returns.streaming) item.streaming = true;
  return item;
}

/** One worker as the node tracks it. */
interface Slot {
  readonly link: PoolWorkerLink;
  readonly actorId: string | undefined;
  /** Dispatched and not finished, by task id; actor calls map to null. */
  readonly inFlight: Map<string, TaskDispatch | null>;
  /** Tasks of this slot waiting on the head in get/wait. */
  blocked: number;
  /** The resource shape this worker is leased to, and what the lease holds. */
  leaseShape: string | null;
  held: Resources;
  readonly knownFunctions: Set<string>;
}

/**
 * A pool of workers as a node: the page's own, or a peer's. Tasks go to a worker under a lease, as in Ray: the first task
 * of a resource shape leases an idle worker and holds its resources; further tasks of the same
 * shape may queue behind it in that worker (pipelining, so a thousand tiny tasks cost a few
 * messages), as deep as the function's measured run time makes worthwhile. Each actor gets a
 * worker of its own.
 */
export class WorkerPoolNode implements ProtocolNode {
  readonly id: string;
  readonly isLocal: boolean;
  #options: WorkerPoolNodeOptions;
  #host: NodeHost;
  #total: Resources;
  #available: Resources;
  #pool: Slot[] = [];
  #actors = new Map<string, Slot>();
  #slots = new Map<string, Slot>();
  /** The named actors announced so far, told again to each worker started later. */
  #namedActors = new Map<string, ToWorker>();
  #requests = new Map<number, { slot: Slot; taskId: string }>();
  #depth = new PipelineDepth();
  #nextWorker = 0;
  #backend: Backend | null = null;
  #closed = false;
  #numWorkers: number;
  /** Pool workers still to go after a shrink; each leaves when it is next idle. */
  #retiring = 0;
  /** What the workers send, handled in slices so a burst of results never holds the page for long. */
  #incoming = new SlicedQueue<Slot, FromWorker>((slot, items) => this.#receive(slot, items));

  constructor(options: WorkerPoolNodeOptions, host: NodeHost) {
    this.id = options.nodeId;
    this.isLocal = options.isLocal;
    this.#backend = options.backend ?? null;
    this.#options = options;
    this.#numWorkers = options.numWorkers;
    this.#host = host;
    this.#total = { CPU: options.numWorkers, ...options.resources };
    this.#available = { ...this.#total };
    for (let i = 0; i < options.numWorkers; i++) this.#pool.push(this.#spawn(undefined));
  }

  /** Resolves once every pool worker has started. */
  async ready(): Promise<void> {
    await Promise.all(this.#pool.map((slot) => slot.link.ready()));
    const backend = await this.#pool[0]?.link.backend();
    if (backend) this.#backend = backend as Backend;
  }

  info(): NodeInfo {
    return {
      nodeId: this.id,
      alive: !this.#closed,
      isLocal: this.isLocal,
      resources: { ...this.#total },
      backend: this.#backend,
      label: this.#options.label,
      numWorkers: this.#numWorkers,
    };
  }

  debugState(): unknown {
    return {
      available: this.#available,
      slots: [...this.#slots.values()].map((s) => ({ id: s.link.id, alive: s.link.alive, actor: s.actorId, inFlight: [...s.inFlight.keys()], blocked: s.blocked, lease: s.leaseShape })),
    };
  }

  total(): Resources {
    return this.#total;
  }

  available(): Resources {
    return this.#available;
  }

  backend(): Backend | null {
    return this.#backend;
  }

  fetchObject(objectId: string): Promise<HeldObject> {
    const objects = this.#options.objects;
    if (!objects) return Promise.reject(new Error(`node ${this.id} holds no objects`));
    return objects.fetch(objectId);
  }

  freeObjects(objectIds: string[]): void {
    this.#options.objects?.free(objectIds);
  }

  /** Adds resources found after start, such as a GPU once the adapter probe answers. */
  addResources(resources: Resources): void {
    add(this.#total, resources);
    add(this.#available, resources);
    this.#host.capacityFreed();
  }

  /**
   * Grows or shrinks the pool to `numWorkers` (one CPU each). New workers start now; on a shrink,
   * idle workers stop now and busy ones when their work is done, so nothing in flight is lost.
   * Resolves once the workers added have started.
   */
  async resize(numWorkers: number): Promise<void> {
    const delta = numWorkers - this.#numWorkers;
    if (delta === 0 || this.#closed) return;
    this.#numWorkers = numWorkers;
    add(this.#total, { CPU: delta });
    add(this.#available, { CPU: delta });
    if (delta > 0) {
      // Cancel pending retirements first: those workers are still here.
      const kept = Math.min(this.#retiring, delta);
      this.#retiring -= kept;
      const added = Array.from({ length: delta - kept }, () => this.#spawn(undefined));
      this.#pool.push(...added);
      await Promise.all(added.map((slot) => slot.link.ready()));
      this.#host.capacityFreed();
      return;
    }
    this.#retiring += -delta;
    for (const slot of [...this.#pool]) if (slot.leaseShape === null && slot.inFlight.size === 0) this.#retireIfDue(slot);
  }

  /** Stops an idle pool worker if a shrink still wants one gone. */
  #retireIfDue(slot: Slot): void {
    if (this.#retiring <= 0 || slot.actorId !== undefined || slot.leaseShape !== null || slot.inFlight.size > 0) return;
    const index = this.#pool.indexOf(slot);
    if (index < 0) return;
    this.#retiring--;
    this.#pool.splice(index, 1);
    this.#slots.delete(slot.link.id);
    slot.link.terminate();
  }

  tryDispatch(task: TaskDispatch): Dispatched | false {
    const slot = this.#pickSlot(task);
    if (!slot) return false;
    const queued = slot.inFlight.size - slot.blocked > 0;
    slot.inFlight.set(task.taskId, task);
    const args = task.args(slot.link.id);
    const source = slot.knownFunctions.has(task.fnId) ? undefined : task.source;
    slot.knownFunctions.add(task.fnId);
    const item: RunItem = { type: 'run', taskId: task.taskId, name: task.name, fnId: task.fnId, args: args.values };
    if (source !== undefined) item.source = source;
    // A worker with nothing to do gets its task at once; a busy one's wait for the end of the turn.
    slot.link.send(withoutDefaults(item, args, task), !queued);
    return { workerId: slot.link.id, queued };
  }

  tryStartActor(actor: ActorStart): string | false {
    if (!fits(actor.resources, this.#available)) return false;
    subtract(this.#available, actor.resources);
    const slot = this.#spawn(actor.actorId);
    slot.held = { ...actor.resources };
    this.#actors.set(actor.actorId, slot);
    const args = actor.args(slot.link.id);
    slot.link.send({
      type: 'createActor',
      actorId: actor.actorId,
      className: actor.className,
      fnId: actor.fnId,
      source: actor.source,
      args: args.values,
      special: args.special,
      handlers: args.handlers,
      held: args.held,
      maxConcurrency: actor.maxConcurrency,
    });
    return slot.link.id;
  }

  callActor(call: ActorCall): void {
    const slot = this.#actors.get(call.actorId);
    if (!slot) return;
    const idle = slot.inFlight.size - slot.blocked === 0;
    slot.inFlight.set(call.taskId, null);
    const args = call.args(slot.link.id);
    slot.link.send(withoutDefaults({ type: 'callActor', taskId: call.taskId, name: call.name, method: call.method, args: args.values }, args, call), idle);
  }

  /**
   * Joins the workers of two actors of this node by a MessageChannel, each end kept in its worker
   * under `key`; false when either is gone or this node cannot (see `connect`).
   */
  connectActors(actorA: string, actorB: string, key: string): boolean {
    const a = this.#actors.get(actorA)?.link;
    const b = this.#actors.get(actorB)?.link;
    if (!a?.alive || !b?.alive) return false;
    if (this.#options.connect) return this.#options.connect(a.id, b.id, key);
    return joinByChannel(a, b, key);
  }

  cancel(taskId: string, force: boolean): void {
    for (const slot of this.#slots.values()) {
      if (!slot.inFlight.has(taskId)) continue;
      if (!force) return slot.link.send({ type: 'cancel', taskId });
      slot.link.terminate();
      this.#lost(slot, 'its worker was terminated to force-cancel another task');
      return;
    }
  }

  killActor(actorId: string): void {
    const slot = this.#actors.get(actorId);
    if (!slot) return;
    slot.link.terminate();
    this.#lost(slot, 'it was killed');
  }

  send(workerId: string, item: ToWorker): void {
    const slot = this.#slots.get(workerId);
    if (!slot) return;
    if (item.type === 'reply') this.#unblock(item.requestId);
    slot.link.send(item);
  }

  broadcast(item: ToWorker): void {
    if (item.type === 'namedActor') {
      if (item.actor) this.#namedActors.set(item.name, item);
      else this.#namedActors.delete(item.name);
    }
    for (const slot of this.#slots.values()) slot.link.send(item);
  }

  async shutdown(): Promise<void> {
    this.#closed = true;
    for (const slot of this.#slots.values()) slot.link.terminate();
    this.#slots.clear();
    this.#actors.clear();
    this.#pool = [];
  }

  /**
   * The node is gone (a peer left or stopped answering): every worker's work is reported lost,
   * so the head retries tasks elsewhere and restarts actors.
   */
  lose(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const slot of [...this.#slots.values()]) {
      slot.link.terminate();
      this.#lost(slot, reason);
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  // ── worker lifecycle ────────────────────────────────────────────────────────────────────────

  #spawn(actorId: string | undefined): Slot {
    const id = `${this.id}w${this.#nextWorker++}`;
    const slot: Slot = {
      link: this.#options.spawn(id, {
        items: (items) => this.#incoming.push(slot, items),
        died: (reason) => {
          // What it sent before it died still counts (results that arrived are not lost work).
          this.#incoming.drain(slot);
          this.#lost(slot, reason);
        },
      }),
      actorId,
      inFlight: new Map(),
      blocked: 0,
      leaseShape: null,
      held: {},
      knownFunctions: new Set(),
    };
    this.#slots.set(id, slot);
    for (const item of this.#namedActors.values()) slot.link.send(item);
    return slot;
  }

  /** A worker is gone: free what it held, replace it, and report its work as lost. */
  #lost(slot: Slot, reason: string): void {
    this.#incoming.drop(slot);
    if (!this.#slots.delete(slot.link.id)) return;
    add(this.#available, slot.held);
    slot.held = {};
    for (const [requestId, request] of this.#requests) if (request.slot === slot) this.#requests.delete(requestId);
    if (slot.actorId !== undefined) this.#actors.delete(slot.actorId);
    else if (!this.#closed) {
      const index = this.#pool.indexOf(slot);
      if (index >= 0) this.#pool[index] = this.#spawn(undefined);
    }
    const taskIds = [...slot.inFlight.keys()];
    slot.inFlight.clear();
    this.#host.workerDied(this, slot.link.id, taskIds, slot.actorId !== undefined ? [slot.actorId] : [], reason);
  }

  // ── leases ──────────────────────────────────────────────────────────────────────────────────

  /** An idle worker under a new lease if resources allow, else room behind a lease of the same shape. */
  #pickSlot(task: TaskDispatch): Slot | undefined {
    let best: Slot | undefined;
    let bestLoad = Infinity;
    const depth = this.#depth.of(task.fnId);
    for (const slot of this.#pool) {
      if (!slot.link.alive) continue;
      const load = slot.inFlight.size - slot.blocked;
      if (slot.leaseShape === null && load <= 0) {
        if (!fits(task.resources, this.#available)) continue;
        subtract(this.#available, task.resources);
        slot.held = { ...task.resources };
        slot.leaseShape = task.shape;
        return slot;
      }
      if (slot.leaseShape === task.shape && load < depth && load < bestLoad) {
        best = slot;
        bestLoad = load;
      }
    }
    return best;
  }

  /** Ends the worker's lease when it has nothing left to run; true when it did (and said so). */
  #releaseIfIdle(slot: Slot): boolean {
    if (slot.actorId !== undefined || slot.leaseShape === null) return false;
    if (slot.inFlight.size - slot.blocked > 0) return false;
    add(this.#available, slot.held);
    slot.held = {};
    slot.leaseShape = null;
    this.#retireIfDue(slot);
    this.#host.capacityFreed();
    return true;
  }

  #unblock(requestId: number): void {
    const request = this.#requests.get(requestId);
    if (!request) return;
    this.#requests.delete(requestId);
    const { slot } = request;
    slot.blocked--;
    // A resumed task runs again: if its lease went while it waited, it takes the resources back
    // even beyond the total (Ray oversubscribes the same way rather than deadlock).
    const task = slot.inFlight.get(request.taskId);
    if (task && slot.leaseShape === null) {
      slot.leaseShape = task.shape;
      slot.held = { ...task.resources };
      subtract(this.#available, task.resources);
    }
  }

  // ── incoming ────────────────────────────────────────────────────────────────────────────────

  #receive(slot: Slot, items: readonly FromWorker[]): void {
    // A worker stopped or lost while its items waited their turn: they name work already given back.
    if (this.#slots.get(slot.link.id) !== slot) return;
    let freed = false;
    for (const item of items) {
      const notGiven = this.#notGiven(slot, item);
      if (notGiven !== undefined) {
        this.#refused(slot, notGiven);
        continue;
      }
      switch (item.type) {
        case 'done':
        case 'failed': {
          const task = slot.inFlight.get(item.taskId);
          if (task === undefined) break;
          slot.inFlight.delete(item.taskId);
          if (task !== null) this.#depth.record(task.fnId, item.end - item.start);
          freed = true;
          break;
        }
        case 'actorFailed':
          freed = true;
          break;
        case 'get':
        case 'wait':
        case 'next': {
          // The task that waits: a `next` names the stream in taskId, and the waiter apart.
          const taskId = item.type === 'next' ? item.waiting : item.taskId;
          if (taskId !== null && slot.inFlight.has(taskId)) {
            slot.blocked++;
            this.#requests.set(item.requestId, { slot, taskId });
            this.#releaseIfIdle(slot);
          }
          break;
        }
        default:
          break;
      }
      const refused = this.#host.handle(this, slot.link.id, item);
      if (refused !== undefined) this.#refused(slot, refused);
    }
    // The lease ended, or there is room behind it for the next pipelined task.
    if (freed && !this.#releaseIfIdle(slot)) this.#host.capacityFreed();
  }

  /**
   * Results, yields and actor readiness come only from the worker the task or actor was given to,
   * while it runs there: anything else names work this worker was never given.
   */
  #notGiven(slot: Slot, item: FromWorker): string | undefined {
    switch (item.type) {
      case 'started':
      case 'done':
      case 'failed':
      case 'yield':
        return slot.inFlight.has(item.taskId) ? undefined : `'${item.type}' for task ${item.taskId}, which it was not given`;
      case 'actorReady':
      case 'actorFailed':
        return slot.actorId === item.actorId ? undefined : `'${item.type}' for actor ${item.actorId}, which it does not host`;
      default:
        return undefined;
    }
  }

  #refused(slot: Slot, reason: string): void {
    const message = `worker ${slot.link.id} sent ${reason}`;
    if (this.#options.refused) this.#options.refused(slot.link.id, message);
    else console.warn(`raybox: refused what ${this.#options.label} sent: ${message}.`);
  }
}
