import type { CodeLanguage } from '../notebook/cell.ts';
import { CellRun } from '../notebook/cell-run.ts';
import { BlockTimeline } from './block-timeline.ts';
import { Kernel, type KernelOptions } from '../notebook/kernel.ts';
import { el } from '../ui/dom.ts';
import { OutputView } from '../ui/output-view.ts';

/** The code blocks the drop-in script makes runnable. */
export const BLOCK_SELECTOR = 'pre[data-raybox], pre.raybox';

/**
 * One marked block: its source is the block's text, its Run button runs it (and first the blocks
 * it names in `data-depends`, if they have not run), its output appears under it. Blocks with the
 * same `data-scope` share one scope, like notebook cells; a block without one has its own.
 */
interface Block {
  id: string;
  pre: HTMLPreElement;
  scope: Scope;
  depends: string[];
  language: CodeLanguage;
  run: CellRun | undefined;
  button: HTMLButtonElement;
  output: OutputView;
  /** The tasks of its latest run, under its output. */
  timeline: BlockTimeline | undefined;
}

/** One kernel, and a queue: a scope runs one block at a time, in the order they were asked. */
interface Scope {
  kernel: Kernel;
  queue: Promise<unknown>;
}

export class CodeBlocks {
  readonly #blocks = new Map<string, Block>();
  readonly #scopes = new Map<string, Scope>();
  readonly #kernelOptions: KernelOptions;
  #runs = 0;
  /** Each run's timeline, by the submission context its tasks carry (found through its kernel). */
  #timelines = new Map<CellRun, BlockTimeline>();
  #timelineByContext = new Map<string, BlockTimeline | null>();
  /** Whether task events are followed: from the first run on, for the page's life. */
  #watching = false;

  constructor(kernelOptions: KernelOptions) {
    this.#kernelOptions = kernelOptions;
  }

  /** Makes every marked block under `root` runnable; blocks it has seen already are left as they are. */
  mount(root: ParentNode): string[] {
    const ids: string[] = [];
    for (const pre of root.querySelectorAll<HTMLPreElement>(BLOCK_SELECTOR)) {
      if (pre.dataset['rayboxMounted'] !== undefined) continue;
      pre.dataset['rayboxMounted'] = '';
      ids.push(this.#add(pre));
    }
    return ids;
  }

  /** Runs one block by id (after the blocks it depends on); resolves when it has finished. */
  run(id: string): Promise<void> {
    return this.#run(id, new Set());
  }

  #add(pre: HTMLPreElement): string {
    const id = pre.id || `raybox-block-${this.#blocks.size + 1}`;
    const language = pre.dataset['language'] === 'typescript' ? 'typescript' : 'javascript';
    const scopeName = pre.dataset['scope'] ?? `#${id}`;
    let scope = this.#scopes.get(scopeName);
    if (!scope) {
      scope = { kernel: new Kernel(this.#kernelOptions), queue: Promise.resolve() };
      this.#scopes.set(scopeName, scope);
    }
    const button = el('button', { className: 'raybox-run', type: 'button', 'data-raybox-run': id }, 'Run');
    const status = el('span', { className: 'raybox-status', 'data-raybox-status': '' });
    const output = new OutputView();
    const wrapper = el('div', { className: 'raybox-block', 'data-raybox-block': id });
    pre.replaceWith(wrapper);
    wrapper.append(pre, el('div', { className: 'raybox-bar' }, button, status), output.element);
    const block: Block = { id, pre, scope, depends: (pre.dataset['depends'] ?? '').split(/[\s,]+/).filter(Boolean), language, run: undefined, button, output, timeline: undefined };
    this.#blocks.set(id, block);
    button.addEventListener('click', () => void this.run(id));
    return id;
  }

  async #run(id: string, visiting: Set<string>): Promise<void> {
    const block = this.#blocks.get(id);
    if (!block || visiting.has(id)) return;
    visiting.add(id);
    for (const dependency of block.depends) {
      const before = this.#blocks.get(dependency);
      if (before && before.run?.status !== 'done') await this.#run(dependency, visiting);
    }
    const run = new CellRun(id, ++this.#runs);
    if (block.run) this.#timelines.delete(block.run);
    block.run = run;
    block.output.show(run);
    block.timeline?.element.remove();
    block.timeline = new BlockTimeline();
    this.#timelines.set(run, block.timeline);
    block.output.element.after(block.timeline.element);
    this.#watchTasks();
    block.button.disabled = true;
    const status = block.button.nextElementSibling;
    const setStatus = (text: string): void => {
      if (status) status.textContent = text;
      block.pre.closest('.raybox-block')?.setAttribute('data-status', text);
    };
    setStatus('queued');
    run.onChange((change) => {
      if (change.type === 'status') setStatus(change.status);
    });
    const source = block.pre.textContent ?? '';
    const turn = block.scope.queue.then(() => block.scope.kernel.execute(run, source, block.language));
    // A failed block does not stop the queue: the next block of the scope still runs.
    block.scope.queue = turn.catch(() => undefined);
    try {
      await turn;
    } finally {
      block.button.disabled = false;
      block.timeline.settle();
    }
  }

  /** Follows task events (once, from the first run on) into the timelines of the runs they belong to. */
  #watchTasks(): void {
    if (this.#watching) return;
    this.#watching = true;
    this.#kernelOptions.runtime.onEventBatch(
      (events) => {
        for (const event of events) {
          if (event.type === 'task' && event.context !== undefined) this.#timelineOf(event.context)?.apply(event);
        }
      },
      { types: ['task'] },
    );
  }

  #timelineOf(context: string): BlockTimeline | undefined {
    let timeline = this.#timelineByContext.get(context);
    if (timeline === undefined) {
      const run = [...this.#scopes.values()].map((scope) => scope.kernel.runOf(context)).find((r) => r !== undefined);
      timeline = (run && this.#timelines.get(run)) ?? null;
      // Contexts come one per run, and runs one per click: the map stays small, but is bounded anyway.
      if (this.#timelineByContext.size >= 1_000) this.#timelineByContext.clear();
      this.#timelineByContext.set(context, timeline);
    }
    return timeline ?? undefined;
  }
}
