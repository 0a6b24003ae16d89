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
import type { ProtocolNode } from '../protocol/node-host.ts';
import type { DriverContext } from './driver-context.ts';
import { hasRetriesLeft, isTerminal } from './driver-helpers.ts';
import type { ActorCallRecord, ActorRecord } from './records.ts';

export class ActorLifecycle {
  readonly #ctx: DriverContext;

  constructor(ctx: DriverContext) {
    this.#ctx = ctx;
  }

  create(actorId: string, given: ClassDescriptor, args: EncodedArgs, options: ActorOptions): ActorRecord {
    const ctx = this.#ctx;
    const cls = ctx.code.withSource(given);
    if (options.name !== undefined && ctx.namedActors.has(options.name)) {
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
    ctx.actors.set(actorId, actor);
    ctx.args.pin(args, 1);
    if (actor.name !== undefined) {
      ctx.namedActors.set(actor.name, actorId);
      ctx.broadcast({ type: 'namedActor', name: actor.name, actor: this.descriptor(actor) });
    }
    ctx.events.actor(actor, {});
    ctx.args.resolveDeps(actor, () => {
      const error = ctx.args.depError(actor.args);
      if (error) return this.dead(actor, `a constructor argument failed: ${error.message}`);
      ctx.scheduler.enqueue(actor);
      ctx.capacityFreed();
    });
    return actor;
  }

  /** The scheduler offers `actor` to `node`; true when the node took it (or it is dead anyway). */
  offer(actor: ActorRecord, node: ProtocolNode): boolean {
    if (actor.state === 'DEAD') return true; // killed while queued: drop it
    const ctx = this.#ctx;
    if (ctx.args.needsFetch(actor.args, node.id, () => ctx.capacityFreed())) return false;
    const accepted = node.tryStartActor({
      actorId: actor.id,
      className: actor.cls.name,
      fnId: actor.cls.fnId,
      source: actor.cls.source,
      args: (workerId) => ctx.args.forDispatch(actor.args, node.id, workerId),
      resources: actor.resources,
      maxConcurrency: actor.maxConcurrency,
    });
    if (accepted === false) return false;
    actor.nodeId = node.id;
    actor.workerId = accepted;
    return true;
  }

  resolve(descriptor: ActorDescriptor): ActorRecord | undefined {
    const byId = this.#ctx.actors.get(descriptor.actorId);
    if (byId) return byId;
    const byName = descriptor.name !== undefined ? this.#ctx.namedActors.get(descriptor.name) : undefined;
    return byName ? this.#ctx.actors.get(byName) : undefined;
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
    const namedActors = this.#ctx.namedActors;
    const actorId = namedActors.get(name);
    const actor = actorId ? this.#ctx.actors.get(actorId) : undefined;
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
    const node = actor.nodeId ? this.#ctx.nodes.get(actor.nodeId) : undefined;
    if (noRestart) {
      this.dead(actor, 'killed by kill()');
      node?.killActor(actor.id);
    } else {
      node?.killActor(actor.id); // reported back as a worker death, which restarts it if allowed
    }
  }

  /** The actor's constructor returned on `node`: it is alive, and queued calls go. */
  onReady(node: ProtocolNode, actorId: string): void {
    const actor = this.#ctx.actors.get(actorId);
    if (!actor || actor.nodeId !== node.id || actor.state === 'DEAD') return;
    actor.state = 'ALIVE';
    this.#ctx.events.actor(actor, {});
    this.flushCalls(actor);
  }

  /** The actor's constructor threw: the actor dies without a restart. */
  onConstructorFailed(node: ProtocolNode, actorId: string, data: ErrorData): void {
    const actor = this.#ctx.actors.get(actorId);
    if (!actor || actor.nodeId !== node.id) return;
    const error = errorFromData(data);
    this.dead(actor, `its constructor threw ${error.name}: ${error.message}`);
    node.killActor(actor.id);
  }

  /** Sends queued calls in submission order; a call still waiting for its arguments holds back the rest. */
  flushCalls(actor: ActorRecord): void {
    if (actor.state !== 'ALIVE') return;
    const ctx = this.#ctx;
    const node = actor.nodeId ? ctx.nodes.get(actor.nodeId) : undefined;
    if (!node) return;
    while (actor.queue.length > 0) {
      const record = actor.queue[0] as ActorCallRecord;
      if (record.pendingDeps > 0) return;
      if (isTerminal(record.state)) {
        actor.queue.shift();
        continue;
      }
      const error = ctx.args.depError(record.args);
      if (error) {
        actor.queue.shift();
        ctx.completion.finishFailed(record, error);
        continue;
      }
      // Calls go in order: one whose argument a third node holds waits, and the rest behind it.
      if (ctx.args.needsFetch(record.args, node.id, () => this.flushCalls(actor))) return;
      actor.queue.shift();
      record.state = 'RUNNING';
      record.nodeId = node.id;
      record.workerId = actor.workerId;
      record.attempts++;
      record.runningAnnounced = false;
      // Calls run one after another: the first of them starts now.
      if (actor.running.size === 0) ctx.events.announceRunning(record, Date.now());
      actor.running.set(record.id, record);
      node.callActor({
        taskId: record.id,
        actorId: actor.id,
        name: record.name,
        method: record.method,
        args: (workerId) => ctx.args.forDispatch(record.args, node.id, workerId),
        numReturns: record.numReturns,
        streaming: record.streaming,
      });
    }
  }

  /** The actor's worker died: restart it while `maxRestarts` allows, else it is dead. */
  lost(actor: ActorRecord, reason: string): void {
    const ctx = this.#ctx;
    const running = [...actor.running.values()];
    actor.running.clear();
    if (actor.restartsLeft !== 0) {
      if (actor.restartsLeft > 0) actor.restartsLeft--;
      actor.state = 'RESTARTING';
      actor.nodeId = undefined;
      ctx.events.actor(actor, { reason });
      // Calls that were running go back to the front, in order, while retries allow.
      for (const record of running.reverse()) {
        if (hasRetriesLeft(record) && !record.cancelled) {
          record.state = 'PENDING_NODE';
          record.nodeId = undefined;
          actor.queue.unshift(record);
        } else {
          ctx.completion.finishFailed(record, new ActorDiedError(actor.name ?? actor.cls.name, reason));
        }
      }
      ctx.scheduler.enqueue(actor);
      ctx.capacityFreed();
      return;
    }
    for (const record of running) ctx.completion.finishFailed(record, new ActorDiedError(actor.name ?? actor.cls.name, reason));
    this.dead(actor, reason);
  }

  dead(actor: ActorRecord, reason: string): void {
    if (actor.state === 'DEAD') return;
    const ctx = this.#ctx;
    actor.state = 'DEAD';
    actor.deathReason = reason;
    const error = new ActorDiedError(actor.name ?? actor.cls.name, reason);
    for (const record of [...actor.queue, ...actor.running.values()]) ctx.completion.finishFailed(record, error);
    actor.queue = [];
    actor.running.clear();
    if (actor.name !== undefined && ctx.namedActors.get(actor.name) === actor.id) {
      ctx.namedActors.delete(actor.name);
      ctx.broadcast({ type: 'namedActor', name: actor.name, actor: null });
    }
    ctx.args.pin(actor.args, -1);
    ctx.events.actor(actor, { reason });
  }
}
