import { errorFromData, errorToData } from '../core/errors.ts';
import { receivePort } from '../workers/entry/port-mailbox.ts';
import { TrainError, WorkerStepMismatchError } from './errors.ts';
import { checkPortMessage, type PortMessage } from './port-messages.ts';
import { combine, finishMean, reduceLeaves, type Leaf, type ReduceOp } from './reduce-ops.ts';
import { buffersOf, decodeLeaf, dense, denseBytes, encodeResult, GradientEncoder, wireBytes, type GradientCompression, type WireLeaf } from './wire-leaves.ts';

/**
 * Where one worker stands in its group's reductions. Workers of one browser form a local group:
 * the page gave each member a port to the group's leader (its lowest rank). Leaders of the groups
 * (one per browser, or one per worker where ports cannot reach, as on a peer) reduce through the
 * root actor, rank 0, with actor calls, which cross the room over its DataChannels.
 *
 * A local group that is the whole group (one browser) may instead reduce around a ring
 * (`allreduceAlgorithm: 'ring'`; the star is the default, faster in the benchmark here): each
 * worker has a port to the next (the leader's ports reach members 1 and k−1; members j and j+1
 * got one more, `${portKey}/ring/${j}`), and an uncompressed step is a reduce-scatter then an
 * all-gather of 1/k chunks, so every worker sums a k-th of the values and sends 2(k−1)/k of them.
 */
export interface Topology {
  /** Ranks of this worker's local group, leader first. */
  local: number[];
  /** The ports of this group were handed over under `${portKey}/${member rank}`; null when the group is one worker. */
  portKey: string | null;
  /** Uncompressed steps of a one-browser group go round the ring of ports (else through the leader, a star). */
  ring: boolean;
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
  /** Ring: the ports to the next and previous worker (the same port in a ring of two). */
  #next: MessagePort | null = null;
  /** Ring: chunks that came before this worker asked for them, and asks waiting for a chunk, by `${seq}/${step}`. */
  readonly #ringInbox = new Map<string, { op: ReduceOp; leaves: WireLeaf[] }>();
  readonly #ringWaiting = new Map<string, Settle<{ op: ReduceOp; leaves: WireLeaf[] }> & { seq: number }>();
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
    if (this.#topology.ring) await this.#connectRing(portKey, local);
  }

  /** Finds the port to the next worker of the ring; members between the ends take one more port. */
  async #connectRing(portKey: string, local: number[]): Promise<void> {
    const k = local.length;
    const i = local.indexOf(this.#rank);
    // Star ports: the leader's first port goes to member 1, its last to member k−1; a member's only port to the leader.
    const toLeader = this.#ports[0]!;
    if (i === 0) this.#next = this.#ports[0]!;
    else if (i === k - 1) this.#next = toLeader;
    const between = [i - 1, i].filter((j) => j >= 1 && j <= k - 2).map((j) => `${portKey}/ring/${j}`);
    const ports = await Promise.all(between.map((key) => receivePort(key)));
    for (const port of ports) port.onmessage = (event: MessageEvent) => this.#receive(-1, event.data);
    // Member j holds ring/j−1 (to j−1) and ring/j (to j+1): the second, when it has it, is its next.
    if (i >= 1 && i <= k - 2) this.#next = ports[ports.length - 1]!;
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
    if (this.#next !== null && compression === null && this.#topology.groups === 1) return this.#ringReduce(seq, leaves, op);
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
      this.#failStep(seq, error);
      throw error;
    }
  }

  /** Leader: step `seq` failed; every member waiting on it is told why (its error travels as ErrorData). */
  #failStep(seq: number, error: unknown): void {
    this.#local.delete(seq);
    const message: PortMessage = { type: 'failed', seq, error: errorToData(error) };
    for (const port of this.#ports) port.postMessage(message);
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
   * One step around the ring, on `leaves` in place (they are this worker's own copies). Chunk c of a
   * leaf is its elements [c·n/k, (c+1)·n/k). Reduce-scatter: at step s worker i sends chunk i−s to
   * the next worker and adds chunk i−s−1 from the previous one, so after k−1 steps it holds chunk
   * i+1 summed over all workers. All-gather: k−1 more steps pass the summed chunks on. Each chunk
   * is summed once, by one worker, so every worker ends with the same bits.
   */
  async #ringReduce(seq: number, leaves: Leaf[], op: ReduceOp): Promise<Leaf[]> {
    const k = this.#topology.local.length;
    const i = this.#topology.local.indexOf(this.#rank);
    const partOp: ReduceOp = op === 'mean' ? 'sum' : op;
    const mod = (x: number) => ((x % k) + k) % k;
    const bounds = (leaf: Leaf, c: number): [number, number] => [Math.floor((c * leaf.length) / k), Math.floor(((c + 1) * leaf.length) / k)];
    const chunk = (c: number): WireLeaf[] => dense(leaves.map((leaf) => leaf.slice(...bounds(leaf, c))));
    const receive = async (step: number, c: number): Promise<Array<{ into: Leaf; from: Leaf }>> => {
      const got = await this.#ringReceive(seq, step);
      if (got.op !== op) {
        throw new WorkerStepMismatchError(`allreduce step ${seq + 1}: one worker asked for '${op}' but another for '${got.op}'. Every worker must make the same allreduce calls in the same order.`);
      }
      const parts = got.leaves.map(decodeLeaf);
      const pairs = leaves.map((leaf, n) => ({ into: leaf.subarray(...bounds(leaf, c)), from: parts[n] }));
      if (parts.length !== leaves.length || pairs.some(({ into, from }) => from?.length !== into.length || from.constructor !== into.constructor)) {
        throw new TrainError(`allreduce step ${seq + 1}: the workers' values differ in number, length or type of arrays. Every worker must reduce values of the same shape.`);
      }
      return pairs as Array<{ into: Leaf; from: Leaf }>;
    };
    for (let s = 0; s < k - 1; s++) {
      this.#sendRing(seq, op, s, chunk(mod(i - s)));
      for (const { into, from } of await receive(s, mod(i - s - 1))) combine(into, from, partOp);
    }
    for (let s = 0; s < k - 1; s++) {
      this.#sendRing(seq, op, k - 1 + s, chunk(mod(i + 1 - s)));
      for (const { into, from } of await receive(k - 1 + s, mod(i - s))) into.set(from);
    }
    if (op === 'mean') finishMean(leaves, this.#worldSize);
    return leaves;
  }

  #sendRing(seq: number, op: ReduceOp, step: number, leaves: WireLeaf[]): void {
    this.#send(this.#next!, { type: 'ring', seq, op, step, leaves });
  }

  /** The chunk of ring step `step` of `seq` from the previous worker, once it comes. */
  #ringReceive(seq: number, step: number): Promise<{ op: ReduceOp; leaves: WireLeaf[] }> {
    const key = `${seq}/${step}`;
    const came = this.#ringInbox.get(key);
    if (came) {
      this.#ringInbox.delete(key);
      return Promise.resolve(came);
    }
    if (this.#limit && seq >= this.#limit.made) return Promise.reject(this.#limitError(seq));
    return new Promise((resolve, reject) => this.#ringWaiting.set(key, { seq, resolve, reject }));
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
    for (const [key, waiter] of this.#ringWaiting) {
      if (waiter.seq < made) continue;
      this.#ringWaiting.delete(key);
      waiter.reject(error(waiter.seq));
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
          this.#failStep(message.seq, error);
        });
        return;
      }
      case 'ring': {
        const key = `${message.seq}/${message.step}`;
        const waiter = this.#ringWaiting.get(key);
        const chunk = { op: message.op, leaves: message.leaves };
        if (!waiter) this.#ringInbox.set(key, chunk);
        else {
          this.#ringWaiting.delete(key);
          waiter.resolve(chunk);
        }
        return;
      }
      case 'result':
      case 'failed': {
        const waiter = this.#waiting.get(message.seq);
        if (!waiter) return;
        this.#waiting.delete(message.seq);
        if (message.type === 'result') waiter.resolve(message.leaves);
        else waiter.reject(errorFromData(message.error));
        return;
      }
    }
  }
}
