import { CellRun, type RunStatus } from './cell-run.ts';
import type { Kernel } from './kernel.ts';
import type { NotebookDocument } from './notebook-document.ts';
import { saveRun } from './saved-output.ts';

export type SessionChange =
  /** A cell is waiting its turn (its counter shows `*`). */
  | { type: 'queued'; cellId: string }
  /** A cell left the queue without running (an earlier cell failed or "Interrupt" was pressed). */
  | { type: 'unqueued'; cellId: string }
  /** A cell started a new run, which replaces its outputs. */
  | { type: 'run'; cellId: string; run: CellRun }
  /** The kernel started or stopped working through the queue. */
  | { type: 'busy'; busy: boolean }
  /** The shared scope was emptied and every output cleared. */
  | { type: 'restart' }
  /** A cell's outputs were cleared ("Clear output"). */
  | { type: 'cleared'; cellId: string };

export interface NotebookSessionOptions {
  /** One line of text for a live value, as saved outputs keep it. @default String */
  preview?: (value: unknown) => string;
}

/** How a queued cell ended: a run's final status, or `skipped` when it never ran. */
export type CellOutcome = RunStatus | 'skipped';

interface QueueItem {
  cellId: string;
  batch: object | null;
  resolve: (outcome: CellOutcome) => void;
}

/**
 * A document and the kernel that runs it: the run queue ("Run" adds one cell, "Run all" all code
 * cells in order, stopping at the first that fails), execution counters, and the latest run of
 * each cell. Invariant: at most one cell runs at a time, in queue order.
 */
export class NotebookSession {
  readonly document: NotebookDocument;
  readonly kernel: Kernel;
  #runs = new Map<string, CellRun>();
  #queue: QueueItem[] = [];
  #executionCount = 0;
  #pumping = false;
  #listeners = new Set<(change: SessionChange) => void>();

  constructor(document: NotebookDocument, kernel: Kernel, options: NotebookSessionOptions = {}) {
    this.document = document;
    this.kernel = kernel;
    const preview = options.preview ?? String;
    // The file keeps what each cell shows: its run in this session, else what the file had.
    document.setOutputSource((cell) => {
      const run = this.#runs.get(cell.id);
      return run ? saveRun(run, preview) : cell.previous;
    });
    document.onChange((change) => {
      if (change.type === 'remove') this.#forget(change.cell.id);
      else if (change.type === 'replace') {
        this.restart();
      }
    });
  }

  get busy(): boolean {
    return this.#pumping;
  }

  /** The cell's latest run, whose outputs it shows. */
  latestRun(cellId: string): CellRun | undefined {
    return this.#runs.get(cellId);
  }

  isQueued(cellId: string): boolean {
    return this.#queue.some((item) => item.cellId === cellId);
  }

  /** Queues one cell. A markdown cell "runs" at once and does nothing. */
  run(cellId: string): Promise<CellOutcome> {
    return this.#enqueue([cellId], null)[0] as Promise<CellOutcome>;
  }

  /**
   * Queues every code cell in order. Resolves with 'done' when all ran, or the outcome of the
   * first that did not finish (the cells after it are skipped, as Jupyter does).
   */
  async runAll(): Promise<CellOutcome> {
    const ids = this.document.cells.filter((cell) => cell.type === 'code').map((cell) => cell.id);
    const outcomes = await Promise.all(this.#enqueue(ids, {}));
    return outcomes.find((outcome) => outcome !== 'done') ?? 'done';
  }

  /** Queues the code cells above `cellId`, not itself ("Run all above"). */
  runAbove(cellId: string): Promise<CellOutcome> {
    return this.#runBatch(this.document.cells.slice(0, Math.max(0, this.document.indexOf(cellId))));
  }

  /** Queues `cellId` and every code cell below it ("Run from here"). */
  runBelow(cellId: string): Promise<CellOutcome> {
    const index = this.document.indexOf(cellId);
    return this.#runBatch(index < 0 ? [] : this.document.cells.slice(index));
  }

  /** Clears what a cell shows (its run's outputs, or outputs kept from a previous visit). */
  clearOutputs(cellId: string): void {
    const cell = this.document.cell(cellId);
    if (!cell) return;
    this.#runs.get(cellId)?.clear();
    cell.previous = undefined;
    this.#emit({ type: 'cleared', cellId });
    this.document.outputsChanged(cellId);
  }

  clearAllOutputs(): void {
    for (const cell of this.document.cells) if (cell.type === 'code') this.clearOutputs(cell.id);
  }

  async #runBatch(cells: readonly { id: string; type: string }[]): Promise<CellOutcome> {
    const ids = cells.filter((cell) => cell.type === 'code').map((cell) => cell.id);
    const outcomes = await Promise.all(this.#enqueue(ids, {}));
    return outcomes.find((outcome) => outcome !== 'done') ?? 'done';
  }

  /** Interrupts the running cell and empties the queue. */
  interrupt(): void {
    this.#dropQueue(() => true);
    this.kernel.interrupt();
  }

  /** Empties the shared scope and clears every output; execution counters start again. */
  restart(): void {
    this.#dropQueue(() => true);
    this.kernel.restart();
    for (const run of this.#runs.values()) run.detach();
    this.#runs.clear();
    this.#executionCount = 0;
    this.#emit({ type: 'restart' });
  }

  onChange(listener: (change: SessionChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #enqueue(cellIds: string[], batch: object | null): Promise<CellOutcome>[] {
    const promises = cellIds.map(
      (cellId) =>
        new Promise<CellOutcome>((resolve) => {
          this.#queue.push({ cellId, batch, resolve });
          this.#emit({ type: 'queued', cellId });
        }),
    );
    void this.#pump();
    return promises;
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    this.#emit({ type: 'busy', busy: true });
    try {
      for (let item = this.#queue.shift(); item; item = this.#queue.shift()) {
        const cell = this.document.cell(item.cellId);
        if (!cell || cell.type !== 'code') {
          this.#emit({ type: 'unqueued', cellId: item.cellId });
          item.resolve(cell ? 'done' : 'skipped');
          continue;
        }
        const run = new CellRun(cell.id, ++this.#executionCount);
        this.#runs.get(cell.id)?.detach();
        this.#runs.set(cell.id, run);
        cell.previous = undefined;
        // Whatever the run shows is saved with the notebook (autosave waits for a quiet moment).
        run.onChange(() => this.document.outputsChanged(cell.id));
        this.#emit({ type: 'run', cellId: cell.id, run });
        const status = await this.kernel.execute(run, cell.source, cell.language);
        if (status !== 'done' && item.batch) {
          const batch = item.batch;
          this.#dropQueue((other) => other.batch === batch);
        }
        item.resolve(status);
      }
    } finally {
      this.#pumping = false;
      this.#emit({ type: 'busy', busy: false });
    }
  }

  #dropQueue(which: (item: QueueItem) => boolean): void {
    const dropped = this.#queue.filter(which);
    this.#queue = this.#queue.filter((item) => !which(item));
    for (const item of dropped) {
      this.#emit({ type: 'unqueued', cellId: item.cellId });
      item.resolve('skipped');
    }
  }

  #forget(cellId: string): void {
    this.#dropQueue((item) => item.cellId === cellId);
    this.#runs.get(cellId)?.detach();
    this.#runs.delete(cellId);
  }

  #emit(change: SessionChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}
