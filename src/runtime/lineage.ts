/**
 * Lineage: a task's record stays while any of its results lives, pinning its arguments, so that a
 * lost result can be rebuilt by running the task again. This part forgets records whose results
 * are all freed, and rebuilds (or fails) objects whose only copy is gone.
 */
import { ObjectLostError } from '../core/errors.ts';
import type { ObjectEntry } from '../core/object-table.ts';
import type { DriverContext } from './driver-context.ts';
import { hasRetriesLeft, isTerminal } from './driver-helpers.ts';
import type { TaskRecord } from './records.ts';

export class Lineage {
  readonly #ctx: DriverContext;

  constructor(ctx: DriverContext) {
    this.#ctx = ctx;
  }

  /** Forgets a finished task whose results are all freed, releasing its arguments. */
  dropTask(record: TaskRecord): void {
    if (!this.#ctx.tasks.delete(record.id)) return;
    this.#ctx.args.pin(record.args, -1);
  }

  objectFreed(entry: ObjectEntry): void {
    const ctx = this.#ctx;
    ctx.events.object('released', entry);
    if (entry.location !== undefined) ctx.nodes.get(entry.location)?.freeObjects?.([entry.id]);
    if (entry.creator === undefined) return;
    const record = ctx.tasks.get(entry.creator);
    if (!record || record.stream) return;
    record.liveReturns--;
    if (record.liveReturns <= 0 && isTerminal(record.state)) this.dropTask(record);
  }

  /**
   * An object's only copy is gone. Rebuild it by running the task that made it again (its
   * lineage), while that task has retries left; otherwise it fails with ObjectLostError.
   */
  lose(entry: ObjectEntry, why: string): void {
    const ctx = this.#ctx;
    const creator = entry.creator !== undefined ? ctx.tasks.get(entry.creator) : undefined;
    if (creator && !isTerminal(creator.state)) {
      ctx.objects.reset(entry.id); // its task is running again already and will make it anew
      return;
    }
    if (!creator || creator.stream || !hasRetriesLeft(creator)) {
      ctx.objects.reset(entry.id);
      ctx.objects.fail(entry.id, new ObjectLostError(entry.id, creator ? `${why}, and '${creator.name}' has no retries left to rebuild it` : why));
      return;
    }
    for (const id of creator.returnIds) {
      const returned = ctx.objects.get(id);
      if (returned && returned.location !== undefined) ctx.objects.reset(id);
    }
    ctx.objects.reset(entry.id);
    creator.state = 'PENDING_ARGS';
    creator.nodeId = undefined;
    creator.workerId = undefined;
    ctx.events.task(creator, 'PENDING_ARGS', { attempt: creator.attempts + 1 });
    if (creator.kind === 'actorCall') {
      ctx.completion.finishFailed(creator, new ObjectLostError(entry.id, `${why}; results of actor calls cannot be rebuilt`));
      return;
    }
    ctx.args.resolveDeps(creator, () => ctx.submission.depsReady(creator));
  }
}
