import { receivePort } from '../workers/entry/port-mailbox.ts';
import { TrainError, WorkerStepMismatchError } from './errors.ts';
import { checkPortMessage, type PortMessage } from './port-messages.ts';
import { finishMean, reduceLeaves, type Leaf, type ReduceOp } from './reduce-ops.ts';
import { buffersOf, decodeLeaf, dense, denseBytes, encodeResult, GradientEncoder, wireBytes, type GradientCompression, type WireLeaf } from './wire-leaves.ts';

/**
 * Where one worker stands in its group's reductions. Workers of one browser form a local group:
 * the page gave each member a port to the group's leader (its lowest rank). Leaders of the groups
 * (one per browser, or one per worker where ports cannot reach, as on a peer) reduce through the
 * root actor, rank 0, with actor calls, which cross the room over its DataChannels.
 */
export interface Topology {
  /** Ranks of this worker's local group, leader first. */
  local: number[];
  /** The ports of this group were handed over under `${portKey}/${member rank}`; null when the group is one worker. */
  portKey: string | null;
  /** How many local groups reduce through the root, and this group's index among them (the root's is 0). */
  groups: number;
  group: number;
}

/** Sends a leader's part of step `seq` to the root actor and resolves with the groups' combination. */
export type RootCall = (seq: number, group: number, op: ReduceOp, leaves: WireLeaf[]) => Promise<WireLeaf[]>;

/** What `allreduce` sent: bytes on the wire, and what the same leaves weigh uncompressed. */
export interface Traffic {
  sent: number;
  uncompressed: number;
}

interface Settle<T> {
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/** Parts of one step gathered by a leader (from its members) or by the root (from the leaders). */
interface Gather {
  op: ReduceOp;
  parts: Array<WireLeaf[] | undefined>;
  count: number;
  settle: Settle<WireLeaf[][]>;
  done: Promise<WireLeaf[][]>;
  /** At the root: the combination, made once by the first call to wake and given to each. */
  combined?: WireLeaf[];
}

function newGather(op: ReduceOp, size: number): Gather {
  let settle!: Settle<WireLeaf[][]>;
  const done = new Promise<WireLeaf[][]>((resolve, reject) => (settle = { resolve, reject }));
  // A step that fails before its own worker asks for it is reported when it does.
  done.catch(() => undefined);
  return { op, parts: new Array<WireLeaf[] | undefined>(size).fill(undefined), count: 0, settle, done };
}

/** Adds a part to a gather; resolves it once every part is in. */
function addPart(gather: Gather, index: number, op: ReduceOp, seq: number, leaves: WireLeaf[]): void {
  if (gather.op !== op) {
    gather.settle.reject(new WorkerStepMismatchError(`allreduce step ${seq + 1}: one worker asked for '${op}' but another for '${gather.op}'. Every worker must make the same allreduce calls in the same order.`));
    return;
  }
  if (gather.parts[index] === undefined) gather.count++;
  gather.parts[index] = leaves;
  if (gather.count === gather.parts.length) gather.settle.resolve(gather.parts as WireLeaf[][]);
}

/** Results go back as the parts came: float16 for float16, sparse (where it saves) for top-k. */
function resultEncoding(parts: WireLeaf[][]): GradientCompression | null {
  const kinds = new Set(parts.flatMap((p) => p.map((leaf) => leaf.kind)));
  if (kinds.has('f16')) return 'float16';
  return kinds.has('sparse') ? { topK: 1 } : null;
}

function cloneWire(leaves: WireLeaf[]): WireLeaf[] {
  return leaves.map((leaf) => (leaf.kind === 'sparse' ? { ...leaf, indices: leaf.indices.slice(), values: leaf.values.slice() } : ({ ...leaf, data: leaf.data.slice() } as WireLeaf)));
}

/** The reductions of one worker: its own calls, and as leader or root the parts it gathers. */
export class Collective {
  readonly #rank: number;
  readonly #worldSize: number;
  readonly #topology: Topology;
  readonly #root: RootCall;
  readonly #encoder: GradientEncoder | null;
  readonly #compression: GradientCompression | null;
  /** Leader: ports to members, by local index (index 0, the leader itself, has none). Member: [leader]. */
  #ports: MessagePort[] = [];
  #seq = 0;
  /** Steps at or past this can never complete: a worker's loop ended after this many. */
  #limit: { made: number; rank: number } | null = null;
  readonly #local = new Map<number, Gather>();
  readonly #fromLeaders = new Map<number, Gather>();
  /** Member: its steps waiting for the leader's answer. */
  readonly #waiting = new Map<number, Settle<WireLeaf[]>>();
  readonly traffic: Traffic = { sent: 0, uncompressed: 0 };

  constructor(rank: number, worldSize: number, topology: Topology, compression: GradientCompression | null, root: RootCall) {
    this.#rank = rank;
    this.#worldSize = worldSize;
    this.#topology = topology;
    this.#compression = compression;
    this.#encoder = compression === null ? null : new GradientEncoder(compression);
    this.#root = root;
  }

  get #isLeader(): boolean {
    return this.#topology.local[0] === this.#rank;
  }

  /** Takes the ports the page handed over; resolves once all are here. */
  async connect(): Promise<void> {
    const { local, portKey } = this.#topology;
    if (portKey === null || local.length < 2) return;
    const keys = this.#isLeader ? local.slice(1).map((member) => `${portKey}/${member}`) : [`${portKey}/${this.#rank}`];
    this.#ports = await Promise.all(keys.map((key) => receivePort(key)));
    this.#ports.forEach((port, i) => {
      port.onmessage = (event: MessageEvent) => this.#receive(this.#isLeader ? i + 1 : 0, event.data);
    });
  }

  /** Number of steps this worker has called. */
  get steps(): number {
    return this.#seq;
  }

  /**
   * One step: every worker's `leaves` combined by `op`; `compress` sends them as the trainer's
   * `gradientCompression` asks (for gradients). Resolves with this worker's copy of the result.
   */
  async reduce(leaves: Leaf[], op: ReduceOp, compress: boolean): Promise<Leaf[]> {
    const seq = this.#seq++;
    this.#refuseAfterLimit(seq);
    const compression = compress ? this.#compression : null;
    const wire = compression !== null && this.#encoder ? this.#encoder.encode(leaves) : dense(leaves);
    if (this.#topology.local.length === 1 && this.#topology.groups === 1) return this.#finish(wire.map(decodeLeaf), op, compression);
    if (!this.#isLeader) {
      const answer = new Promise<WireLeaf[]>((resolve, reject) => this.#waiting.set(seq, { resolve, reject }));
      this.#send(this.#ports[0]!, { type: 'part', seq, op, leaves: wire });
      return (await answer).map(decodeLeaf);
    }
    const gather = this.#localGather(seq, op);
    addPart(gather, 0, op, seq, wire);
    try {
      const parts = await gather.done;
      this.#local.delete(seq);
      const partOp: ReduceOp = op === 'mean' ? 'sum' : op;
      let combined = reduceLeaves(parts.map((p) => p.map(decodeLeaf)), partOp);
      const { groups, group } = this.#topology;
      if (groups > 1) {
        const partial = encodeResult(combined, compression);
        if (group !== 0) this.#count(partial);
        const all = group === 0 ? await this.contribute(seq, 0, partOp, partial) : await this.#root(seq, group, partOp, partial);
        combined = all.map(decodeLeaf);
      }
      const result = this.#finish(combined, op, compression);
      this.#ports.forEach((port, i) => this.#send(port, { type: 'result', seq, leaves: encodeResult(this.#resultCopy(result, parts[i + 1]!), compression) }));
      return result;
    } catch (error) {
      this.#local.delete(seq);
      const { name, message } = error instanceof Error ? error : { name: 'TrainError', message: String(error) };
      for (const port of this.#ports) port.postMessage({ type: 'failed', seq, name, message } satisfies PortMessage);
      throw error;
    }
  }

  /**
   * A member's copy of the result: written into the buffers its part came in (dense parts arrive
   * transferred, so this worker owns them), so a step allocates no buffer for it; fresh otherwise.
   */
  #resultCopy(result: Leaf[], part: WireLeaf[]): Leaf[] {
    return result.map((leaf, i) => {
      const came = part[i];
      if (came?.kind === 'dense' && came.data.constructor === leaf.constructor && came.data.length === leaf.length && came.data !== leaf) {
        came.data.set(leaf);
        return came.data;
      }
      return leaf.slice();
    });
  }

  /** Divides a mean, and rounds to what the members receive, so every worker holds the same result. */
  #finish(combined: Leaf[], op: ReduceOp, compression: GradientCompression | null): Leaf[] {
    if (op === 'mean') finishMean(combined, this.#worldSize);
    if (compression !== 'float16') return combined;
    return encodeResult(combined, compression).map(decodeLeaf);
  }

  /**
   * At the root: a leader's part of step `seq`; resolves, for every leader, with the groups'
   * combination once all are in (as the leaders' results travel: float16 or sparse when compressed).
   */
  async contribute(seq: number, group: number, op: ReduceOp, leaves: WireLeaf[]): Promise<WireLeaf[]> {
    this.#refuseAfterLimit(seq);
    let gather = this.#fromLeaders.get(seq);
    if (!gather) {
      gather = newGather(op, this.#topology.groups);
      this.#fromLeaders.set(seq, gather);
    }
    addPart(gather, group, op, seq, leaves);
    const parts = await gather.done;
    this.#fromLeaders.delete(seq);
    // Combined once, by the first to wake (the root's own call or a leader's), in group order.
    gather.combined ??= encodeResult(reduceLeaves(parts.map((p) => p.map(decodeLeaf)), op), resultEncoding(parts));
    if (group === 0) return gather.combined;
    // The result goes back as this call's return value (copied as it travels, but only when the
    // batch leaves this turn: the root must not divide its copy in place before then).
    const copy = cloneWire(gather.combined);
    this.#count(copy);
    return copy;
  }

  /** Worker `rank`'s loop ended after `made` steps: steps from `made` on can never complete. */
  ended(rank: number, made: number): void {
    if (this.#limit && this.#limit.made <= made) return;
    this.#limit = { made, rank };
    const error = (seq: number) => this.#limitError(seq);
    for (const [seq, gather] of [...this.#local, ...this.#fromLeaders]) if (seq >= made) gather.settle.reject(error(seq));
    for (const [seq, waiter] of this.#waiting) {
      if (seq < made) continue;
      this.#waiting.delete(seq);
      waiter.reject(error(seq));
    }
  }

  #limitError(seq: number): WorkerStepMismatchError {
    const { made, rank } = this.#limit!;
    return new WorkerStepMismatchError(
      `allreduce step ${seq + 1} waits for worker ${rank}, whose training loop ended after ${made} allreduce calls. ` +
        'Every worker must make the same allreduce (and prepared optimizer) calls: give each worker the same number of batches (shards of equal rows, dropLast).',
    );
  }

  #refuseAfterLimit(seq: number): void {
    if (this.#limit && seq >= this.#limit.made) throw this.#limitError(seq);
  }

  #localGather(seq: number, op: ReduceOp): Gather {
    let gather = this.#local.get(seq);
    if (!gather) {
      gather = newGather(op, this.#topology.local.length);
      if (this.#limit && seq >= this.#limit.made) gather.settle.reject(this.#limitError(seq));
      this.#local.set(seq, gather);
    }
    return gather;
  }

  #count(leaves: WireLeaf[]): void {
    this.traffic.sent += wireBytes(leaves);
    this.traffic.uncompressed += denseBytes(leaves);
  }

  /** Posts leaves with their buffers transferred, not copied: the sender gives them up. */
  #send(port: MessagePort, message: Extract<PortMessage, { leaves: unknown }>): void {
    this.#count(message.leaves);
    port.postMessage(message, buffersOf(message.leaves));
  }

  #receive(from: number, data: unknown): void {
    const checked = checkPortMessage(data);
    if (!checked.ok) {
      console.error(`raybox.train: worker ${this.#rank} dropped a bad message from its group: ${checked.reason}`);
      return;
    }
    const message = checked.message;
    switch (message.type) {
      case 'part': {
        if (!this.#isLeader) return;
        const gather = this.#localGather(message.seq, message.op);
        addPart(gather, from, message.op, message.seq, message.leaves);
        // A step that failed before the leader reached it still answers the member.
        gather.done.catch((error: unknown) => {
          if (this.#seq > message.seq) return; // the leader's own call answers it
          const { name, message: text } = error instanceof Error ? error : { name: 'TrainError', message: String(error) };
          this.#local.delete(message.seq);
          for (const port of this.#ports) port.postMessage({ type: 'failed', seq: message.seq, name, message: text } satisfies PortMessage);
        });
        return;
      }
      case 'result':
      case 'failed': {
        const waiter = this.#waiting.get(message.seq);
        if (!waiter) return;
        this.#waiting.delete(message.seq);
        if (message.type === 'result') waiter.resolve(message.leaves);
        else waiter.reject(message.name === 'WorkerStepMismatchError' ? new WorkerStepMismatchError(message.message) : new TrainError(message.message));
        return;
      }
    }
  }
}
