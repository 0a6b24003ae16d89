import type { ObjectRef } from './object-ref.ts';

/** Where a generator's next ref comes from; the realm that submitted the task provides it. */
export type NextYield = (taskId: string, index: number) => Promise<ObjectRef | undefined>;

/**
 * The refs of a streaming task, as Ray's ObjectRefGenerator: each yielded value becomes an object
 * as soon as it is yielded, and iteration ends when the task returns. If the task fails, the
 * iteration throws its error after the refs yielded before the failure.
 */
export class ObjectRefGenerator<T = unknown> implements AsyncIterable<ObjectRef<T>> {
  readonly taskId: string;
  #index = 0;
  #next: NextYield;

  constructor(taskId: string, next: NextYield) {
    this.taskId = taskId;
    this.#next = next;
  }

  async next(): Promise<IteratorResult<ObjectRef<T>, undefined>> {
    const ref = await this.#next(this.taskId, this.#index);
    if (!ref) return { done: true, value: undefined };
    this.#index++;
    return { done: false, value: ref as ObjectRef<T> };
  }

  [Symbol.asyncIterator](): AsyncIterator<ObjectRef<T>, undefined> {
    return { next: () => this.next() };
  }
}
