import { get, kill, remote } from '../core/api.ts';
import type { ActorHandle } from '../core/actor-handle.ts';
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
}

let blockTask: RemoteFunction<typeof dataBlockTask> | undefined;
let blockActor: ActorClass<typeof DataBlockActor> | undefined;

/**
 * The streaming executor: blocks flow from the plan's source through its fused map segments to
 * the consumer, one async generator per segment. A segment keeps a window of tasks in flight,
 * bounded by the cluster's CPUs and by the memory budget (each task reserves the size of the
 * largest block seen so far, one task at a time until a first block says how big they are), and
 * pulls its next input only when the window has room: backpressure from the consumer back to
 * the reads. Results come out in input order.
 */
export class Execution {
  readonly budget: MemoryBudget;
  readonly stats: ExecutionStats;

  constructor(budgetBytes: number) {
    this.budget = new MemoryBudget(budgetBytes);
    this.stats = { budgetBytes, peakBytes: 0, blocksOut: 0, rowsOut: 0, bytesOut: 0, tasks: 0, actorsStarted: 0 };
  }

  async *run(plan: Plan): AsyncGenerator<Block> {
    for await (const block of this.#plan(plan)) {
      this.stats.blocksOut++;
      this.stats.rowsOut += block.numRows;
      this.stats.bytesOut += blockBytes(block);
      this.stats.peakBytes = this.budget.peak;
      yield block;
    }
    this.stats.peakBytes = this.budget.peak;
  }

  /** Blocks of a plan, its sources' plans included (counted only once, by `run`). */
  async *#plan(plan: Plan): AsyncGenerator<Block> {
    let stream = this.#source(plan);
    // With no map operator, a segment of no stages still turns reads and ranges into blocks.
    const segs = plan.ops.length > 0 ? segments(plan.ops) : [{ stages: [], numCpus: 1, numGpus: 0, label: plan.source.label }];
    for (const segment of segs) stream = this.#segment(toInputs(stream), segment);
    for await (const item of stream) yield item as Block;
  }

  async *#source(plan: Plan): AsyncGenerator<Block | BlockInput> {
    const source = plan.source;
    if (source.kind === 'inputs') {
      yield* await source.inputs();
    } else if (source.kind === 'union') {
      for (const p of source.plans) yield* this.#plan(p);
    } else if (source.kind === 'limit') {
      let left = source.n;
      if (left <= 0) return;
      for await (const block of this.#plan(source.upstream)) {
        yield block.numRows <= left ? block : sliceBlock(block, 0, left);
        left -= block.numRows;
        if (left <= 0) return;
      }
    } else {
      const all: Block[][] = [];
      for (const upstream of source.upstream) {
        const blocks: Block[] = [];
        for await (const block of this.#plan(upstream)) blocks.push(block);
        all.push(blocks);
      }
      yield* source.op(all);
    }
  }

  async *#segment(inputs: AsyncIterable<BlockInput>, segment: Segment): AsyncGenerator<Block> {
    const maxInFlight = segment.pool ? segment.pool.concurrency * 2 : Math.max(1, Math.floor(driver().clusterResources().CPU ?? 1));
    const run = segment.pool ? this.#pool(segment) : this.#tasks(segment);
    const window: { promise: Promise<Block>; reserved: number }[] = [];
    const it = inputs[Symbol.asyncIterator]();
    let estimate = 0;
    let measured = false;
    let exhausted = false;
    try {
      for (;;) {
        while (!exhausted && window.length < maxInFlight && (window.length === 0 || (measured && this.budget.fits(estimate)))) {
          const next = await it.next();
          if (next.done) {
            exhausted = true;
            break;
          }
          this.budget.add(estimate);
          const promise = run.submit(next.value);
          promise.catch(() => {}); // surfaced when it reaches the head of the window
          window.push({ promise, reserved: estimate });
        }
        const head = window.shift();
        if (!head) return;
        this.budget.remove(head.reserved);
        const block = await head.promise.catch(rethrowDataError);
        const bytes = blockBytes(block);
        measured = true;
        estimate = Math.max(estimate, bytes);
        this.budget.add(bytes);
        try {
          yield block;
        } finally {
          this.budget.remove(bytes);
        }
      }
    } finally {
      for (const entry of window) this.budget.remove(entry.reserved);
      run.close();
      await it.return?.();
    }
  }

  #tasks(segment: Segment): { submit(input: BlockInput): Promise<Block>; close(): void } {
    blockTask ??= remote(dataBlockTask);
    const task = blockTask.options({ numCpus: segment.numCpus, numGpus: segment.numGpus, name: `data:${segment.label}` });
    return {
      submit: (input) => {
        if (input.kind === 'block' && segment.stages.length === 0) return Promise.resolve(input.block);
        this.stats.tasks++;
        return get(task.remote(input, segment.stages));
      },
      close: () => {},
    };
  }

  #pool(segment: Segment): { submit(input: BlockInput): Promise<Block>; close(): void } {
    const spec = segment.pool!;
    blockActor ??= remote(DataBlockActor);
    const cls = (blockActor as ActorClass<typeof DataBlockActor>).options({ numCpus: segment.numCpus, numGpus: segment.numGpus });
    const actors: { handle: ActorHandle<DataBlockActor>; load: number }[] = [];
    for (let i = 0; i < spec.concurrency; i++) {
      actors.push({ handle: cls.remote(spec.classSource, spec.args), load: 0 });
      this.stats.actorsStarted++;
    }
    return {
      submit: async (input) => {
        const actor = actors.reduce((a, b) => (b.load < a.load ? b : a));
        actor.load++;
        this.stats.tasks++;
        try {
          return await get(actor.handle.run.remote(input, segment.stages));
        } finally {
          actor.load--;
        }
      },
      close: () => {
        for (const actor of actors) kill(actor.handle);
      },
    };
  }
}

async function* toInputs(stream: AsyncIterable<Block | BlockInput>): AsyncGenerator<BlockInput> {
  for await (const item of stream) yield isInput(item) ? item : { kind: 'block', block: item };
}

function isInput(item: Block | BlockInput): item is BlockInput {
  return 'kind' in item;
}
