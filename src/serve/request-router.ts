/**
 * The router of one deployment, in the page: each request goes to the less loaded of two random
 * replicas with room (`maxOngoingRequests`); when none has room it waits in a bounded queue, and
 * beyond that bound it is refused with `ServeOverloadedError` (never an unbounded queue).
 */
import type { ActorHandle } from '../core/actor-handle.ts';
import { get } from '../core/api.ts';
import { ActorDiedError, WorkerCrashedError } from '../core/errors.ts';
import { taskOfObject } from '../core/ids.ts';
import type { ObjectRef } from '../core/object-ref.ts';
import { DeploymentDeletedError, ServeOverloadedError } from './errors.ts';
import type { ReplicaActor } from './handle-marker.ts';
import { pickTwo } from './pick.ts';

export interface RoutedReplica {
  readonly id: string;
  readonly actor: ActorHandle<ReplicaActor>;
  ongoing: number;
  /** Requests this replica has finished, for status and tests. */
  handled: number;
}

interface Waiting {
  start: (replica: RoutedReplica) => void;
  fail: (error: unknown) => void;
}

/** A request the dashboard follows: its number, the route or method it came by, and the replica call's task. */
export interface RequestTrace {
  requestId: number;
  route: string;
  taskId: string;
}

/** Told of each request once it has its final answer (retries included in its latency). */
export type AnsweredListener = (replica: RoutedReplica, latencyMs: number, ok: boolean, trace: RequestTrace | undefined) => void;

let nextRequestId = 1;

export class RequestRouter {
  readonly replicas: RoutedReplica[] = [];
  onAnswered: AnsweredListener | undefined;
  /** Whether requests are followed now (someone listens to serve events); nothing is traced otherwise. */
  traced: () => boolean = () => false;
  readonly #queue: Waiting[] = [];
  #deleted = false;

  constructor(
    readonly deployment: string,
    readonly maxOngoingRequests: number,
    readonly maxQueuedRequests: number,
  ) {}

  get queued(): number {
    return this.#queue.length;
  }

  get ongoing(): number {
    return this.replicas.reduce((sum, r) => sum + r.ongoing, 0);
  }

  addReplica(replica: RoutedReplica): void {
    this.replicas.push(replica);
    this.#drain();
  }

  removeReplica(replica: RoutedReplica): void {
    const i = this.replicas.indexOf(replica);
    if (i >= 0) this.replicas.splice(i, 1);
  }

  /** Sends `method(...args)` to a replica; the ref comes once one took it, the value when it is done. */
  submit(method: string | null, args: unknown[] | Promise<unknown[]>, options: { idempotent?: boolean; route?: string } = {}): { ref: Promise<ObjectRef>; result: Promise<unknown> } {
    let retried = !options.idempotent;
    const began = performance.now();
    let resolveRef!: (ref: ObjectRef) => void;
    let rejectRef!: (error: unknown) => void;
    const ref = new Promise<ObjectRef>((resolve, reject) => {
      resolveRef = resolve;
      rejectRef = reject;
    });
    const dispatch = (resolved: unknown[]): Promise<unknown> =>
      new Promise<unknown>((resolve, reject) => {
        const start = (replica: RoutedReplica): void => {
          replica.ongoing += 1;
          let trace: RequestTrace | undefined;
          let r: ObjectRef;
          if (this.traced()) {
            // The replica notes which batch this request joins under its number (`tracedCall`).
            const requestId = nextRequestId++;
            r = replica.actor.tracedCall.remote(requestId, method, ...resolved) as unknown as ObjectRef;
            trace = { requestId, route: options.route ?? (method === null ? '__call__' : method), taskId: taskOfObject(r.id) };
          } else r = replica.actor.call.remote(method, ...resolved) as unknown as ObjectRef;
          resolveRef(r);
          let outcome: 'ok' | 'failed' | 'resent' = 'failed';
          get(r)
            .then(
              (value) => {
                outcome = 'ok';
                resolve(value);
              },
              (error: unknown) => {
                // The replica died under the request (it is being replaced): an idempotent request
                // is sent once more, preferably to another replica; anything else fails.
                if (retried || !(error instanceof ActorDiedError || error instanceof WorkerCrashedError)) return reject(error);
                retried = true;
                outcome = 'resent';
                const other = this.#choose(replica);
                if (other) start(other);
                else if (this.#queue.length < this.maxQueuedRequests) this.#queue.push({ start, fail: reject });
                else reject(error);
              },
            )
            .finally(() => {
              replica.ongoing -= 1;
              replica.handled += 1;
              this.#drain();
              if (outcome !== 'resent') this.onAnswered?.(replica, performance.now() - began, outcome === 'ok', trace);
            });
        };
        const fail = (error: unknown): void => {
          rejectRef(error);
          reject(error);
        };
        if (this.#deleted) return fail(new DeploymentDeletedError(this.deployment));
        const replica = this.#choose();
        if (replica) return start(replica);
        if (this.#queue.length >= this.maxQueuedRequests) return fail(new ServeOverloadedError(this.deployment, this.#queue.length));
        this.#queue.push({ start, fail });
      });
    // Arguments with no response among them go out in this turn; others once the responses have refs.
    const result = Array.isArray(args)
      ? dispatch(args)
      : args.then(dispatch, (error: unknown) => {
          rejectRef(error);
          throw error;
        });
    return { ref, result };
  }

  /** Refuses what waits and every later request. */
  close(): void {
    this.#deleted = true;
    for (const waiting of this.#queue.splice(0)) waiting.fail(new DeploymentDeletedError(this.deployment));
  }

  #choose(avoid?: RoutedReplica): RoutedReplica | undefined {
    const load = this.replicas.map((r) => r.ongoing);
    const room = (i: number): boolean => (load[i] ?? 0) < this.maxOngoingRequests;
    let index = pickTwo(load, (i) => room(i) && this.replicas[i] !== avoid);
    if (index < 0) index = pickTwo(load, room);
    return index < 0 ? undefined : this.replicas[index];
  }

  #drain(): void {
    while (this.#queue.length > 0) {
      const replica = this.#choose();
      if (!replica) return;
      (this.#queue.shift() as Waiting).start(replica);
    }
  }
}
