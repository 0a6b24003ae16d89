/**
 * Actors at the head: creation and placement, names, sending calls in submission order, restarts
 * after a lost worker (replaying running calls while retries allow), kill, and death, which fails
 * every call still queued or running.
 */
import type { ActorDescriptor } from '../core/actor-handle-tag.ts';
import type { EncodedArgs } from '../core/encoded.ts';
import { ActorDiedError, errorFromData, RayboxUsageError, type ErrorData } from '../core/errors.ts';
import type { ClassDescriptor } from '../core/function-descriptor.ts';
import { requestedResources, type ActorOptions } from '../core/options.ts';
import type { Scheduler } from '../core/scheduler/scheduler.ts';
import type { ProtocolNode } from '../protocol/node-host.ts';
import { hasRetriesLeft, isTerminal } from './driver-helpers.ts';
import type { DriverState } from './driver-state.ts';
import type { ActorCallRecord, ActorRecord, PlacementRecord, TaskRecord } from './records.ts';
import type { RuntimeEvents } from './runtime-events.ts';
import type { TaskArguments } from './task-arguments.ts';
import type { TaskStates } from './task-states.ts';

/** What the actors' part calls in the other parts. */
export interface ActorUses {
  events: Pick<RuntimeEvents, 'actor' | 'announceRunning'>;
  states: Pick<TaskStates, 'again' | 'dispatched'>;
  args: Pick<TaskArguments, 'pin' | 'resolveDeps' | 'depError' | 'lostSinceReady' | 'needsFetch' | 'forDispatch'>;
  scheduler: Pick<Scheduler<PlacementRecord>, 'enqueue'>;
  /** Fails a call and its results (task completion's `finishFailed`). */
  finishFailed(record: TaskRecord, error: Error): void;
  /** Asks for a scheduler pump soon. */
  capacityFreed(): void;
}

type ActorTables = Pick<DriverState, 'code' | 'actors' | 'namedActors' | 'nodes' | 'broadcast'>;

export class ActorLifecycle {
  readonly #state: ActorTables;
  readonly #uses: ActorUses;

  constructor(state: ActorTables, uses: ActorUses) {
    this.#state = state;
    this.#uses = uses;
  }

  create(actorId: string, given: ClassDescriptor, args: EncodedArgs, options: ActorOptions): ActorRecord {
    const state = this.#state;
    const uses = this.#uses;
    const cls = state.code.withSource(given);
    if (options.name !== undefined && state.namedActors.has(options.name)) {
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
    state.actors.set(actorId, actor);
    uses.args.pin(args, 1);
    if (actor.name !== undefined) {
      state.namedActors.set(actor.name, actorId);
      state.broadcast({ type: 'namedActor', name: actor.name, actor: this.descriptor(actor) });
    }
    uses.events.actor(actor, {});
    uses.args.resolveDeps(actor, () => this.#argsReady(actor));
    return actor;
  }

  #argsReady(actor: ActorRecord): void {
    const uses = this.#uses;
    const error = uses.args.depError(actor.args);
    if (error) return this.dead(actor, `a constructor argument failed: ${error.message}`);
    uses.scheduler.enqueue(actor);
    uses.capacityFreed();
  }

  /** The scheduler offers `actor` to `node`; true when the node took it (or it is dead anyway). */
  offer(actor: ActorRecord, node: ProtocolNode): boolean {
    if (actor.state === 'DEAD') return true; // killed while queued: drop it
    const uses = this.#uses;
    if (uses.args.lostSinceReady(actor.args)) {
      uses.args.resolveDeps(actor, () => this.#argsReady(actor));
      return true; // out of the queue until the argument is rebuilt
    }
    if (uses.args.needsFetch(actor.args, node.id, () => uses.capacityFreed())) return false;
    const accepted = node.tryStartActor({
      actorId: actor.id,
      className: actor.cls.name,
      fnId: actor.cls.fnId,
      source: actor.cls.source,
      args: (workerId) => uses.args.forDispatch(actor.args, node.id, workerId),
      resources: actor.resources,
      maxConcurrency: actor.maxConcurrency,
    });
    if (accepted === false) return false;
    actor.nodeId = node.id;
    actor.workerId = accepted;
    return true;
  }

  resolve(descriptor: ActorDescriptor): ActorRecord | undefined {
    const { actors, namedActors } = this.#state;
    const byId = actors.get(descriptor.actorId);
    if (byId) return byId;
    const byName = descriptor.name !== undefined ? namedActors.get(descriptor.name) : undefined;
    return byName ? actors.get(byName) : undefined;
  }

  descriptor(actor: ActorRecord): ActorDescriptor {
    const d: ActorDescriptor = {
      actorId: actor.id,
      className: actor.cls.name,
      methods: actor.cls.methods,
      streamingMethods: actor.cls.streamingMethods,
    };
    if (actor.name !== undefined) d.name = actor.name;
    return d;
  }

  /** The live actor named `name`, or an error that lists the names there are. */
  named(name: string): ActorDescriptor {
    const { actors, namedActors } = this.#state;
    const actorId = namedActors.get(name);
    const actor = actorId ? actors.get(actorId) : undefined;
    if (!actor) {
      const names = [...namedActors.keys()];
      throw new RayboxUsageError(
        `No live actor is named '${name}'. ${names.length ? `Named actors: ${names.join(', ')}.` : 'There are no named actors.'} ` +
          "Create one with MyClass.options({ name: '...' }).remote().",
      );
    }
    return this.descriptor(actor);
  }

  kill(descriptor: ActorDescriptor, noRestart: boolean): void {
    const actor = this.resolve(descriptor);
    if (!actor || actor.state === 'DEAD') return;
    const node = actor.nodeId ? this.#state.nodes.get(actor.nodeId) : undefined;
    if (noRestart) {
      this.dead(actor, 'killed by kill()');
      node?.killActor(actor.id);
    } else {
      node?.killActor(actor.id); // reported back as a worker death, which restarts it if allowed
    }
  }

  /** The actor's constructor returned on `node`: it is alive, and queued calls go. */
  onReady(node: ProtocolNode, actorId: string): void {
    const actor = this.#state.actors.get(actorId);
    if (!actor || actor.nodeId !== node.id || actor.state === 'DEAD') return;
    actor.state = 'ALIVE';
    this.#uses.events.actor(actor, {});
    this.flushCalls(actor);
  }

  /** The actor's constructor threw: the actor dies without a restart. */
  onConstructorFailed(node: ProtocolNode, actorId: string, data: ErrorData): void {
    const actor = this.#state.actors.get(actorId);
    if (!actor || actor.nodeId !== node.id) return;
    const error = errorFromData(data);
    this.dead(actor, `its constructor threw ${error.name}: ${error.message}`);
    node.killActor(actor.id);
  }

  /** Sends queued calls in submission order; a call still waiting for its arguments holds back the rest. */
  flushCalls(actor: ActorRecord): void {
    if (actor.state !== 'ALIVE') return;
    const uses = this.#uses;
    const node = actor.nodeId ? this.#state.nodes.get(actor.nodeId) : undefined;
    if (!node) return;
    while (actor.queue.length > 0) {
      const record = actor.queue[0] as ActorCallRecord;
      if (record.pendingDeps > 0) return;
      if (uses.args.lostSinceReady(record.args)) return uses.args.resolveDeps(record, () => this.flushCalls(actor));
      if (isTerminal(record.state)) {
        actor.queue.shift();
        continue;
      }
      const error = uses.args.depError(record.args);
      if (error) {
        actor.queue.shift();
        uses.finishFailed(record, error);
        continue;
      }
      // Calls go in order: one whose argument a third node holds waits, and the rest behind it.
      if (uses.args.needsFetch(record.args, node.id, () => this.flushCalls(actor))) return;
      actor.queue.shift();
      uses.states.dispatched(record, node.id, actor.workerId);
      // Calls run one after another: the first of them starts now.
      if (actor.running.size === 0) uses.events.announceRunning(record, Date.now());
      actor.running.set(record.id, record);
      node.callActor({
        taskId: record.id,
        actorId: actor.id,
        name: record.name,
        method: record.method,
        args: (workerId) => uses.args.forDispatch(record.args, node.id, workerId),
        numReturns: record.numReturns,
        streaming: record.streaming,
      });
    }
  }

  /** The actor's worker died: restart it while `maxRestarts` allows, else it is dead. */
  lost(actor: ActorRecord, reason: string): void {
    const uses = this.#uses;
    const running = [...actor.running.values()];
    actor.running.clear();
    if (actor.restartsLeft !== 0) {
      if (actor.restartsLeft > 0) actor.restartsLeft--;
      actor.state = 'RESTARTING';
      actor.nodeId = undefined;
      uses.events.actor(actor, { reason });
      // Calls that were running go back to the front, in order, while retries allow.
      for (const record of running.reverse()) {
        if (hasRetriesLeft(record) && !record.cancelled) {
          uses.states.again(record, 'PENDING_NODE');
          actor.queue.unshift(record);
        } else {
          uses.finishFailed(record, new ActorDiedError(actor.name ?? actor.cls.name, reason));
        }
      }
      uses.scheduler.enqueue(actor);
      uses.capacityFreed();
      return;
    }
    for (const record of running) uses.finishFailed(record, new ActorDiedError(actor.name ?? actor.cls.name, reason));
    this.dead(actor, reason);
  }

  dead(actor: ActorRecord, reason: string): void {
    if (actor.state === 'DEAD') return;
    const state = this.#state;
    const uses = this.#uses;
    actor.state = 'DEAD';
    actor.deathReason = reason;
    const error = new ActorDiedError(actor.name ?? actor.cls.name, reason);
    for (const record of [...actor.queue, ...actor.running.values()]) uses.finishFailed(record, error);
    actor.queue = [];
    actor.running.clear();
    if (actor.name !== undefined && state.namedActors.get(actor.name) === actor.id) {
      state.namedActors.delete(actor.name);
      state.broadcast({ type: 'namedActor', name: actor.name, actor: null });
    }
    uses.args.pin(actor.args, -1);
    uses.events.actor(actor, { reason });
  }
}
