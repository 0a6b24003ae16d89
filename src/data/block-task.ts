import type { Block } from './block.ts';
import type { BlockInput, Stage } from './stages.ts';
import type { DataWorkerApi } from './worker-api.ts';

/** The worker's global `raybox`, as far as these shells use it. */
declare const raybox: { data: { worker: DataWorkerApi } };

/**
 * The task that makes one block: reads or generates its input and runs the fused stages on it.
 * Functions travel to workers as source text and see only globals, so this is a thin shell over
 * `raybox.data.worker` (src/worker.ts installs it).
 *
 * Invariant: this function's source mentions nothing but `raybox` and its arguments.
 */
export function dataBlockTask(input: BlockInput, stages: Stage[]): Promise<Block> {
  return raybox.data.worker.run(input, stages);
}

/**
 * An actor of a `mapBatches` pool: it constructs the user's class once, then runs the fused
 * stages, the class's `call(batch)` among them, for every block it is given.
 *
 * Invariant: this class's source mentions nothing but `raybox`, its arguments and `this`.
 */
export class DataBlockActor {
  instance: { call(batch: unknown): unknown };

  constructor(classSource: string, args: unknown[]) {
    this.instance = raybox.data.worker.construct(classSource, args);
  }

  run(input: BlockInput, stages: Stage[]): Promise<Block> {
    return raybox.data.worker.run(input, stages, this.instance);
  }
}

/**
 * The coordinator of `streamingSplit`: a named actor that holds a few blocks the page's execution
 * offers and hands each to whichever consumer asks next, so every row reaches exactly one of
 * them, wherever they run (the page, tasks, actors). `offer` waits while the queue is full:
 * backpressure from the slowest consumers back to the execution.
 *
 * Invariant: this class's source mentions nothing but its arguments, `this` and standard globals.
 */
export class DataSplitCoordinator {
  queue: Block[] = [];
  done = false;
  failure: { name: string; message: string } | null = null;
  ended = 0;
  consumers: number;
  capacity: number;
  waiters: (() => void)[] = [];

  constructor(consumers: number) {
    this.consumers = consumers;
    this.capacity = 2 * consumers;
  }

  wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async offer(block: Block): Promise<void> {
    while (this.queue.length >= this.capacity && !this.failure) await this.wait();
    this.queue.push(block);
    this.wake();
  }

  async next(): Promise<Block | null> {
    while (this.queue.length === 0 && !this.done) await this.wait();
    if (this.failure) {
      const error = new Error(this.failure.message);
      error.name = this.failure.name;
      throw error;
    }
    const block = this.queue.shift();
    this.wake();
    if (block) return block;
    this.ended++;
    return null;
  }

  finish(failure: { name: string; message: string } | null): void {
    this.done = true;
    this.failure = failure;
    this.wake();
  }

  /** Resolves once every consumer has seen the end (or the execution failed). */
  async closed(): Promise<void> {
    while (this.ended < this.consumers && !this.failure) await this.wait();
  }
}
