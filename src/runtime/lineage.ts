/**
 * Lineage: a task's record stays while any of its results lives, pinning its arguments, so that a
 * lost result can be rebuilt by running the task again. This part forgets records whose results
 * are all freed, and rebuilds (or fails) objects whose only copy is gone.
 */
import { ObjectLostError } from '../core/errors.ts';
import type { ObjectEntry } from '../core/object-table.ts';
import { hasRetriesLeft, isTerminal } from './driver-helpers.ts';
import type { DriverState } from './driver-state.ts';
import type { FunctionTaskRecord, TaskRecord } from './records.ts';
import type { RuntimeEvents } from './runtime-events.ts';
import type { TaskArguments } from './task-arguments.ts';
import type { TaskStates } from './task-states.ts';

/** What lineage calls in the other parts. */
export interface LineageUses {
  events: Pick<RuntimeEvents, 'object'>;
  states: Pick<TaskStates, 'again'>;
  args: Pick<TaskArguments, 'pin' | 'resolveDeps'>;
  /** A task to run again once its arguments are ready (task submission's `depsReady`). */
  rerun(record: FunctionTaskRecord): void;
  /** Fails a record and its results (task completion's `finishFailed`). */
  finishFailed(record: TaskRecord, error: Error): void;
}

export class Lineage {
  readonly #state: Pick<DriverState, 'tasks' | 'objects' | 'nodes'>;
  readonly #uses: LineageUses;

  constructor(state: Pick<DriverState, 'tasks' | 'objects' | 'nodes'>, uses: LineageUses) {
    this.#state = state;
    this.#uses = uses;
  }

  /** Forgets a finished task whose results are all freed, releasing its arguments. */
  dropTask(record: TaskRecord): void {
    if (!this.#state.tasks.delete(record.id)) return;
    this.#uses.args.pin(record.args, -1);
  }

  objectFreed(entry: ObjectEntry): void {
    const state = this.#state;
    this.#uses.events.object('released', entry);
    if (entry.location !== undefined) state.nodes.get(entry.location)?.freeObjects?.([entry.id]);
    if (entry.creator === undefined) return;
    const record = state.tasks.get(entry.creator);
    if (!record || record.stream) return;
    record.liveReturns--;
    if (record.liveReturns <= 0 && isTerminal(record.state)) this.dropTask(record);
  }

  /**
   * An object's only copy is gone. Rebuild it by running the task that made it again (its
   * lineage), while that task has retries left; otherwise it fails with ObjectLostError.
   */
  lose(entry: ObjectEntry, why: string): void {
    const { objects, tasks } = this.#state;
    const uses = this.#uses;
    const creator = entry.creator !== undefined ? tasks.get(entry.creator) : undefined;
    if (creator && !isTerminal(creator.state)) {
      objects.reset(entry.id); // its task is running again already and will make it anew
      return;
    }
    if (!creator || creator.stream || !hasRetriesLeft(creator)) {
      objects.reset(entry.id);
      objects.fail(entry.id, new ObjectLostError(entry.id, creator ? `${why}, and '${creator.name}' has no retries left to rebuild it` : why));
      return;
    }
    for (const id of creator.returnIds) {
      const returned = objects.get(id);
      if (returned && returned.location !== undefined) objects.reset(id);
    }
    objects.reset(entry.id);
    uses.states.again(creator, 'PENDING_ARGS');
    if (creator.kind === 'actorCall') {
      uses.finishFailed(creator, new ObjectLostError(entry.id, `${why}; results of actor calls cannot be rebuilt`));
      return;
    }
    uses.args.resolveDeps(creator, () => uses.rerun(creator));
  }
}
