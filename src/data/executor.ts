import { get, kill, remote } from '../core/api.ts';
import type { ActorHandle } from '../core/actor-handle.ts';
import type { DataEvent, DataOperatorStats } from '../core/events.ts';
import type { ObjectRef } from '../core/object-ref.ts';
import type { ActorClass } from '../core/actor-class.ts';
import type { RemoteFunction } from '../core/remote-function.ts';
import { driver } from '../runtime/session.ts';
import { blockBytes, sliceBlock, type Block } from './block.ts';
import { DataBlockActor, dataBlockTask } from './block-task.ts';
import { rethrowDataError } from './errors.ts';
import { MemoryBudget } from './memory-budget.ts';
import { segments, type Plan, type Segment } from './plan.ts';
import type { BlockInput } from './stages.ts';

/** Counters of one execution, for `stats()` and the streaming tests. */
export interface ExecutionStats {
  budgetBytes: number;
  peakBytes: number;
  blocksOut: number;
  rowsOut: number;
  bytesOut: number;
  tasks: number;
  actorsStarted: number;
  /** Each operator's counters, as the dashboard's Data view shows them. */
  operators: DataOperatorStats[];
}

let blockTask: RemoteFunction<typeof dataBlockTask> | undefined;
let blockActor: ActorClass<typeof DataBlockActor> | undefined;
let executions = 0;

/** A block being made: the ref holds it in the object store until the consumer is done with it. */
interface Making {
  ref: ObjectRef<Block> | undefined;
  value: Promise<Block>;
  /** Bytes held against the budget: a reservation while it is made, then its own size. */
  reserved: number;
  ready: boolean;
  /** The input's size where known before it is made (blocks, ranges), for the first tasks' reservations. */
  inputBytes?: number;
}

/** How many times its input's size a block may grow to before any block was measured. */
const UNMEASURED_GROWTH = 4;
/** Finished blocks that may wait behind a slower one, per task that may run. */
const REORDER_BLOCKS_PER_TASK = 4;

interface Operator {
  stats: DataOperatorStats;
  /** A segment's window of blocks being made or waiting for the consumer. */
  window: Making[];
  waitingSince: number | undefined;
}

/**
 * The streaming executor: blocks flow from the plan's source through its fused map segments to
 * the consumer, one async generator per segment. A segment keeps a window of tasks in flight,
 * bounded by the cluster's CPUs and by the memory budget (each task reserves the size of the
 * largest block seen so far, one task at a time until a first block says how big they are), and
 * pulls its next input only when the window has room: backpressure from the consumer back to
 * the reads. Results come out in input order. A block's object stays in the store until the
 * consumer has let go of it, then its ref is released at once, so the store holds no more block
 * bytes than the budget allows. Progress goes out as `data` events while anyone listens.
 */
export class Execution {
  readonly budget: MemoryBudget;
  readonly stats: ExecutionStats;
  readonly id = `data-${++executions}`;
  readonly name: string;
  #operators: Operator[] = [];
  #state: DataEvent['state'] = 'running';

  constructor(budgetBytes: number, name = 'dataset') {
    this.budget = new MemoryBudget(budgetBytes);
    this.name = name;
    this.stats = { budgetBytes, peakBytes: 0, blocksOut: 0, rowsOut: 0, bytesOut: 0, tasks: 0, actorsStarted: 0, operators: [] };
  }

  async *run(plan: Plan): AsyncGenerator<Block> {
    this.#emit();
    try {
      for await (const block of this.#plan(plan)) {
        this.stats.blocksOut++;
        this.stats.rowsOut += block.numRows;
        this.stats.bytesOut += blockBytes(block);
        this.stats.peakBytes = this.budget.peak;
        this.#emit();
        yield block;
      }
    } catch (error) {
      this.#state = 'failed';
      throw error;
    } finally {
      if (this.#state === 'running') this.#state = 'finished'; // or stopped early by its consumer
      this.stats.peakBytes = this.budget.peak;
      for (const op of this.#operators) this.#stopWaiting(op);
      this.#emit();
    }
  }

  /** A new operator, listed before `before` (its downstream), so the list reads in pipeline order. */
  #operator(name: string, before: Operator | undefined, listed = true): Operator {
    const stats: DataOperatorStats = { name, blocksIn: 0, rowsIn: 0, blocksOut: 0, rowsOut: 0, bytesOut: 0, running: 0, queued: 0, backpressureMs: 0 };
    const op: Operator = { stats, window: [], waitingSince: undefined };
    if (!listed) return op;
    const at = before ? this.#operators.indexOf(before) : -1;
    if (at < 0) this.#operators.push(op);
    else this.#operators.splice(at, 0, op);
    this.stats.operators.splice(0, this.stats.operators.length, ...this.#operators.map((o) => o.stats));
    return op;
  }

  /** A snapshot on the event stream; costs nothing while nobody listens. */
  #emit(): void {
    const events = driver().events;
    if (!events.wants('data')) return;
    const operators = this.#operators.map((op) => {
      let running = 0;
      for (const m of op.window) if (!m.ready) running++;
      const waiting = op.waitingSince === undefined ? 0 : performance.now() - op.waitingSince;
      return { ...op.stats, running, queued: op.window.length - running, backpressureMs: op.stats.backpressureMs + waiting };
    });
    events.emit({ type: 'data', time: Date.now(), executionId: this.id, name: this.name, state: this.#state, budgetBytes: this.budget.limit, heldBytes: this.budget.held, peakBytes: this.budget.peak, operators });
  }

  #stopWaiting(op: Operator): void {
    if (op.waitingSince === undefined) return;
    op.stats.backpressureMs += performance.now() - op.waitingSince;
    op.waitingSince = undefined;
  }

  /** Blocks of a plan, its sources' plans included (counted only once, by `run`); its operators are listed before `before`. */
  async *#plan(plan: Plan, before?: Operator): AsyncGenerator<Block> {
    // With no map operator, a segment of no stages still turns reads and ranges into blocks.
    const segs = plan.ops.length > 0 ? segments(plan.ops) : [{ stages: [], numCpus: 1, numGpus: 0, label: plan.source.label }];
    // The first segment makes the source's blocks too (reads and ranges fuse with the maps after them, as in Ray).
    // An all-to-all operator's own row says what its pass-through segment would.
    const listed = plan.ops.length > 0 || plan.source.kind !== 'all';
    const ops = segs.map((segment, i) => this.#operator(i === 0 && plan.source.kind === 'inputs' && plan.ops.length > 0 ? `${plan.source.label}->${segment.label}` : segment.label, before, listed));
    let stream = this.#source(plan, ops[0] as Operator);
    segs.forEach((segment, i) => {
      stream = this.#segment(toInputs(stream), segment, ops[i] as Operator);
    });
    for await (const item of stream) yield item as Block;
  }

  async *#source(plan: Plan, downstream: Operator): AsyncGenerator<Block | BlockInput> {
    const source = plan.source;
    if (source.kind === 'inputs') {
      yield* await source.inputs();
    } else if (source.kind === 'union') {
      for (const p of source.plans) yield* this.#plan(p, downstream);
    } else if (source.kind === 'limit') {
      let left = source.n;
      if (left <= 0) return;
      for await (const block of this.#plan(source.upstream, downstream)) {
        yield block.numRows <= left ? block : sliceBlock(block, 0, left);
        left -= block.numRows;
        if (left <= 0) return;
      }
    } else {
      const all: Block[][] = [];
      const op = this.#operator(source.label, downstream);
      for (const upstream of source.upstream) {
        const blocks: Block[] = [];
        for await (const block of this.#plan(upstream, op)) {
          op.stats.blocksIn++;
          op.stats.rowsIn += block.numRows;
          blocks.push(block);
        }
        all.push(blocks);
      }
      for (const block of source.op(all)) {
        op.stats.blocksOut++;
        op.stats.rowsOut += block.numRows;
        op.stats.bytesOut += blockBytes(block);
        yield block;
      }
    }
  }

  async *#segment(inputs: AsyncIterable<BlockInput>, segment: Segment, op: Operator): AsyncGenerator<Block> {
    // Tasks running at once: one per CPU, or two calls queued per actor of a pool so none idles.
    const maxRunning = segment.pool ? segment.pool.concurrency * 2 : Math.max(1, Math.floor(driver().clusterResources().CPU ?? 1));
    // Blocks come out in input order, so finished blocks wait behind a slower one (a straggler, a
    // worker still loading the library): they hold memory (the budget counts them) but no CPU,
    // and the other tasks go on. This bounds how many may wait so.
    const maxWindow = maxRunning * REORDER_BLOCKS_PER_TASK;
    const run = segment.pool ? this.#pool(segment) : this.#tasks(segment);
    const window = op.window;
    const it = inputs[Symbol.asyncIterator]();
    let estimate = 0;
    let measured = false;
    let exhausted = false;
    let settled: () => void = () => {};
    try {
      for (;;) {
        let running = 0;
        for (const m of window) if (!m.ready) running++;
        while (!exhausted && running < maxRunning && window.length < maxWindow) {
          if (window.length > 0 && !(measured ? this.budget.fits(estimate) : this.#unmeasuredFits(window))) {
            // The budget, not the CPUs, holds the next task back: backpressure.
            if (measured) op.waitingSince ??= performance.now();
            break;
          }
          const next = await it.next();
          if (next.done) {
            exhausted = true;
            break;
          }
          this.#stopWaiting(op);
          op.stats.blocksIn++;
          op.stats.rowsIn += inputRows(next.value);
          this.budget.add(estimate);
          const making = run.submit(next.value, estimate);
          making.inputBytes = inputBytes(next.value);
          making.value.then(
            (block) => {
              // Its reservation becomes what it holds, and its size tells the next tasks theirs.
              const bytes = blockBytes(block);
              this.budget.remove(making.reserved);
              making.reserved = bytes;
              this.budget.add(bytes);
              measured = true;
              estimate = Math.max(estimate, bytes);
              making.ready = true;
              settled();
              this.#emit();
            },
            () => {
              making.ready = true; // surfaced when it reaches the head of the window
              settled();
            },
          );
          window.push(making);
          if (!making.ready) running++;
          this.#emit();
        }
        const head = window[0];
        if (!head) return;
        if (!head.ready) {
          // Wait for any task, not only the head: one finishing elsewhere frees a CPU for the next.
          await new Promise<void>((resolve) => (settled = resolve));
          continue;
        }
        const block = await head.value.catch(rethrowDataError);
        window.shift();
        const bytes = head.reserved;
        op.stats.blocksOut++;
        op.stats.rowsOut += block.numRows;
        op.stats.bytesOut += bytes;
        try {
          yield block;
        } finally {
          this.budget.remove(bytes);
          if (head.ref) driver().releaseRef(head.ref);
        }
      }
    } finally {
      for (const making of window.splice(0)) {
        this.budget.remove(making.reserved);
        if (making.ref) driver().releaseRef(making.ref);
      }
      this.#stopWaiting(op);
      run.close();
      await it.return?.();
    }
  }

  /**
   * Before a first block says how big blocks are, one more task may start only while the budget
   * would hold every task in flight making a block `UNMEASURED_GROWTH` times its input; an input of
   * unknown size (a file to read) runs alone. So small blocks start on every CPU at once, while
   * blocks near the budget's size still go one at a time until measured.
   */
  #unmeasuredFits(window: Making[]): boolean {
    let bytes = 0;
    for (const m of window) {
      if (m.inputBytes === undefined) return false;
      bytes += m.inputBytes * UNMEASURED_GROWTH;
    }
    return this.budget.fits(bytes * (window.length + 1) / window.length);
  }

  #tasks(segment: Segment): { submit(input: BlockInput, reserved: number): Making; close(): void } {
    blockTask ??= remote(dataBlockTask);
    const task = blockTask.options({ numCpus: segment.numCpus, numGpus: segment.numGpus, name: `data:${segment.label}` });
    return {
      submit: (input, reserved) => {
        if (input.kind === 'block' && segment.stages.length === 0) return { ref: undefined, value: Promise.resolve(input.block), reserved, ready: true };
        this.stats.tasks++;
        const ref = task.remote(input, segment.stages);
        return { ref, value: get(ref), reserved, ready: false };
      },
      close: () => {},
    };
  }

  #pool(segment: Segment): { submit(input: BlockInput, reserved: number): Making; close(): void } {
    const spec = segment.pool!;
    blockActor ??= remote(DataBlockActor);
    const cls = (blockActor as ActorClass<typeof DataBlockActor>).options({ numCpus: segment.numCpus, numGpus: segment.numGpus });
    const actors: { handle: ActorHandle<DataBlockActor>; load: number }[] = [];
    for (let i = 0; i < spec.concurrency; i++) {
      actors.push({ handle: cls.remote(spec.classSource, spec.args), load: 0 });
      this.stats.actorsStarted++;
    }
    return {
      submit: (input, reserved) => {
        const actor = actors.reduce((a, b) => (b.load < a.load ? b : a));
        actor.load++;
        this.stats.tasks++;
        const ref = actor.handle.run.remote(input, segment.stages);
        const value = get(ref).finally(() => actor.load--);
        return { ref, value, reserved, ready: false };
      },
      close: () => {
        for (const actor of actors) kill(actor.handle);
      },
    };
  }
}

/** Bytes an input brings where that is known before it is made (blocks, ranges of float64 ids; not files). */
function inputBytes(input: BlockInput): number | undefined {
  if (input.kind === 'block') return blockBytes(input.block);
  if (input.kind === 'range') return (input.end - input.start) * 8;
  return undefined;
}

/** Rows an input brings where that is known before it is made (blocks, ranges; not files). */
function inputRows(input: BlockInput): number {
  if (input.kind === 'block') return input.block.numRows;
  if (input.kind === 'range') return input.end - input.start;
  return 0;
}

async function* toInputs(stream: AsyncIterable<Block | BlockInput>): AsyncGenerator<BlockInput> {
  for await (const item of stream) yield isInput(item) ? item : { kind: 'block', block: item };
}

function isInput(item: Block | BlockInput): item is BlockInput {
  return 'kind' in item;
}
