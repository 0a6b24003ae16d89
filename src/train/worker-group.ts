import { get, kill, remote } from '../core/api.ts';
import type { ActorHandle } from '../core/actor-handle.ts';
import { describeFunction } from '../core/function-descriptor.ts';
import { driver } from '../runtime/session.ts';
import type { Topology } from './collective.ts';
import type { Resources } from '../core/resources.ts';
import type { ReduceOp } from './reduce-ops.ts';
import type { ShardDelivery, WorkerEvent, WorkerStart } from './session-messages.ts';
import type { WireLeaf } from './wire-leaves.ts';

/** What the page calls on a training worker's actor (a thin shell over its `TrainSession`). */
export interface TrainWorkerActor {
  hello(): { nodeId: string };
  run(start: WorkerStart): Promise<{ reports: number; reductions: number }>;
  next(): Promise<WorkerEvent[]>;
  deliverShard(delivery: ShardDelivery): void;
  contribute(seq: number, group: number, op: ReduceOp, leaves: WireLeaf[]): Promise<WireLeaf[]>;
  peerEnded(rank: number, reductions: number): void;
}

const actorClasses = new WeakMap<object, abstract new () => TrainWorkerActor>();

/**
 * The actor class that runs `loop` in its worker. Its source embeds the loop's, so the worker
 * compiles both together (loading TensorFlow.js first when the loop mentions `tf`), and binds
 * `train` to the worker's `raybox.train`, so the loop's `train.report` reaches the session there.
 */
function workerClass(loop: (config: Record<string, unknown>) => unknown): abstract new () => TrainWorkerActor {
  const known = actorClasses.get(loop);
  if (known) return known;
  const { source } = describeFunction(loop);
  const text =
    'class TrainWorker {\n' +
    `  constructor() { const train = raybox.train; this.session = new raybox.train.TrainSession(${source}\n); }\n` +
    '  hello() { return { nodeId: raybox.getRuntimeContext().nodeId }; }\n' +
    '  run(start) { return this.session.run(start); }\n' +
    '  next() { return this.session.next(); }\n' +
    '  deliverShard(d) { this.session.deliverShard(d); }\n' +
    '  contribute(seq, group, op, leaves) { return this.session.contribute(seq, group, op, leaves); }\n' +
    '  peerEnded(rank, n) { this.session.peerEnded(rank, n); }\n' +
    '}';
  const cls = new Function(`return (${text});`)() as abstract new () => TrainWorkerActor;
  actorClasses.set(loop, cls);
  return cls;
}

let groups = 0;

/** The actors of one attempt at a run: started together, killed together. */
export class WorkerGroup {
  readonly actors: Array<ActorHandle<TrainWorkerActor>>;
  readonly names: string[];
  readonly nodeIds: string[];

  private constructor(actors: Array<ActorHandle<TrainWorkerActor>>, names: string[], nodeIds: string[]) {
    this.actors = actors;
    this.names = names;
    this.nodeIds = nodeIds;
  }

  /** Starts `numWorkers` actors, each holding `resources`, and learns where each landed. */
  static async start(loop: (config: Record<string, unknown>) => unknown, numWorkers: number, resources: Resources): Promise<WorkerGroup> {
    const id = `${Date.now().toString(36)}-${++groups}`;
    const cls = remote(workerClass(loop));
    const { CPU = 1, GPU = 0, ...custom } = resources;
    const names = Array.from({ length: numWorkers }, (_, rank) => `raybox-train-${id}-${rank}`);
    // Calls of the page (next, deliverShard) and of other workers (contribute) interleave with
    // the long run() call, so the actor takes several at once.
    const actors = names.map((name) => cls.options({ name, numCpus: CPU, numGpus: GPU, resources: custom, maxConcurrency: 8 + 2 * numWorkers }).remote());
    try {
      const hellos = await get(actors.map((actor) => actor.hello.remote()));
      return new WorkerGroup(actors, names, hellos.map((h) => h.nodeId));
    } catch (error) {
      for (const actor of actors) kill(actor);
      throw error;
    }
  }

  /** Ranks by node: each worker's rank among the group's workers on its node, and its node's index. */
  localRanks(): Array<{ localRank: number; localWorldSize: number; nodeRank: number }> {
    const nodes = [...new Set(this.nodeIds)];
    return this.nodeIds.map((nodeId, rank) => {
      const same = this.nodeIds.map((n, r) => (n === nodeId ? r : -1)).filter((r) => r >= 0);
      return { localRank: same.indexOf(rank), localWorldSize: same.length, nodeRank: nodes.indexOf(nodeId) };
    });
  }

  /**
   * Joins the workers of each browser by ports: every member of a local group gets a
   * MessageChannel to its leader (the group's lowest rank), made where they run (this page, or a
   * peer's sandbox) and transferred to both workers, so their `allreduce` steps never pass through
   * a page. Workers that cannot be joined form groups of one. With `ring`, a group that is every
   * worker also joins members j and j+1 (the leader's ports close the ring). Returns each rank's
   * place in the reductions.
   */
  connect(ring: boolean): Topology[] {
    const byNode = new Map<string, number[]>();
    this.nodeIds.forEach((nodeId, rank) => byNode.set(nodeId, [...(byNode.get(nodeId) ?? []), rank]));
    const groups: Array<{ ranks: number[]; portKey: string | null; ring: boolean }> = [];
    for (const ranks of byNode.values()) {
      const [leader, ...members] = ranks;
      const portKey = `${this.names[0]}/ports/${leader}`;
      let ported = members.length > 0;
      const pairs: Array<[number, number, string]> = members.map((member) => [leader!, member, `${portKey}/${member}`]);
      // A ring only where this browser holds every worker (across browsers the leaders go through the root).
      const ringHere = ring && byNode.size === 1 && members.length > 0;
      if (ringHere) for (let j = 1; j + 1 < ranks.length; j++) pairs.push([ranks[j]!, ranks[j + 1]!, `${portKey}/ring/${j}`]);
      for (const [a, b, key] of pairs) {
        // Where one pair cannot be joined (an actor gone), none of this node's are relied on.
        if (!driver().connectActors(this.actors[a]!.actorId, this.actors[b]!.actorId, key)) {
          ported = false;
          break;
        }
      }
      if (ported) groups.push({ ranks, portKey, ring: ringHere });
      else for (const rank of ranks) groups.push({ ranks: [rank], portKey: null, ring: false });
    }
    // The root's group first: rank 0 leads it and gathers the leaders' parts.
    groups.sort((a, b) => a.ranks[0]! - b.ranks[0]!);
    const topologies = new Array<Topology>(this.actors.length);
    groups.forEach(({ ranks, portKey, ring: inRing }, group) => {
      for (const rank of ranks) topologies[rank] = { local: ranks, portKey, ring: inRing, groups: groups.length, group };
    });
    return topologies;
  }

  stop(): void {
    for (const actor of this.actors) {
      try {
        kill(actor);
      } catch {
        // Already gone with its worker.
      }
    }
  }
}
