/**
 * The bytes that blocks of running datasets may hold in this page: blocks finished and not yet
 * consumed, plus a reservation for each block a task is making. The executor starts a task only
 * while the reservation fits, so a dataset many times the budget streams through in bounded memory.
 */
export class MemoryBudget {
  limit: number;
  held = 0;
  peak = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  fits(bytes: number): boolean {
    return this.held + bytes <= this.limit;
  }

  add(bytes: number): void {
    this.held += bytes;
    if (this.held > this.peak) this.peak = this.held;
  }

  remove(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
  }
}

/** A quarter of the heap the page may use where the browser says (Chromium), else 512 MiB; Ray uses a fraction of its object store likewise. */
export function defaultBudgetBytes(): number {
  const memory = (globalThis.performance as { memory?: { jsHeapSizeLimit?: number } } | undefined)?.memory;
  const limit = memory?.jsHeapSizeLimit;
  return typeof limit === 'number' && limit > 0 ? Math.floor(limit / 4) : 512 * 1024 * 1024;
}

/** Settings of `raybox.data`, as Ray's `DataContext`. */
export const dataContext = {
  /** Bytes that blocks of one running dataset may hold; change it before executing. */
  memoryBudgetBytes: defaultBudgetBytes(),
  /** Rows per block that `range` and `fromItems` aim at. */
  targetRowsPerBlock: 1000,
};
