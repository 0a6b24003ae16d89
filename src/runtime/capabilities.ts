/**
 * What a worker may name in what it sends. A worker, in this page or on a peer, acts only on what
 * the head gave it: the ids it makes itself carry its own prefix and are new; the refs it reads,
 * waits on, cancels or passes on are refs the head counted for it (`worker-refs.ts`); the actors
 * it calls or kills are actors whose handle it was handed (`worker-actors.ts`) or named ones; the
 * stream it iterates is its own. (Results, yields and actor readiness are checked by the worker's
 * node, which knows what it dispatched to each worker.) Anything else is refused, and the node
 * counts it as a bad message.
 */
import type { EncodedArgs } from '../core/encoded.ts';
import { returnId } from '../core/ids.ts';
import type { FromWorker } from '../protocol/messages.ts';
import { actorIdsIn } from '../protocol/value-codec.ts';
import type { DriverState } from './driver-state.ts';
import type { RefHolder } from './worker-refs.ts';

/** The tables a refusal is decided from. */
type Tables = Pick<DriverState, 'objects' | 'tasks' | 'actors' | 'workerRefs' | 'workerActors'>;

/** Why `item` from `holder` is refused, or undefined when the worker is entitled to it. */
export function refusalOf(state: Tables, holder: RefHolder, item: FromWorker): string | undefined {
  switch (item.type) {
    case 'put':
    case 'putFailed':
      return newId(state, holder, item.objectId, 'a put');
    case 'submit':
    case 'submitCall':
      return (
        newTaskId(state, holder, item.taskId) ??
        parentRefusal(state, holder, item.parentTaskId) ??
        (item.type === 'submitCall' ? actorRefusal(state, holder, item.actor.actorId, 'call') : undefined) ??
        argsRefusal(state, holder, item.args)
      );
    case 'submitActor':
      return (
        (state.actors.has(item.actorId) ? `an actor under id ${item.actorId}, which is taken` : undefined) ??
        newId(state, holder, item.actorId, 'an actor') ??
        parentRefusal(state, holder, item.parentTaskId) ??
        argsRefusal(state, holder, item.args)
      );
    case 'get':
    case 'wait':
      return unheld(state, holder, item.ids, item.type);
    case 'cancelRef':
      return unheld(state, holder, [item.objectId], 'cancel');
    case 'kill':
      return actorRefusal(state, holder, item.actorId, 'kill');
    case 'next': {
      // Only the worker that submitted a stream iterates it (the page's streams are the page's).
      const record = state.tasks.get(item.taskId);
      const consumer = record?.stream?.consumer;
      if (record && (consumer?.nodeId !== holder.nodeId || consumer.workerId !== holder.workerId)) {
        return `a 'next' of stream ${item.taskId}, which it did not submit`;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Ids a worker makes start with its own id and a dot (`core/ids.ts`), so no two realms share one. */
function newId(state: Tables, holder: RefHolder, id: string, what: string): string | undefined {
  if (!id.startsWith(`${holder.workerId}.`)) return `${what} under id ${id}, which is not one of its own`;
  if (state.objects.get(id)) return `${what} under id ${id}, which is taken`;
  return undefined;
}

function newTaskId(state: Tables, holder: RefHolder, taskId: string): string | undefined {
  if (state.tasks.has(taskId) || state.objects.get(returnId(taskId, 0))) return `a task under id ${taskId}, which is taken`;
  return newId(state, holder, taskId, 'a task');
}

/**
 * A submission names as its parent only a task this worker runs: the parent decides which cell's
 * context the new task belongs to and what a recursive cancel reaches, so another's task is refused.
 */
function parentRefusal(state: Tables, holder: RefHolder, parentTaskId: string | null): string | undefined {
  if (parentTaskId === null) return undefined;
  const parent = state.tasks.get(parentTaskId);
  if (!parent || runsOn(parent, holder)) return undefined; // a parent already gone links to nothing
  return `a submission from task ${parentTaskId}, which it does not run`;
}

/** The task's current attempt is on this worker. */
export function runsOn(record: { nodeId: string | undefined; workerId: string | undefined }, holder: RefHolder): boolean {
  return record.nodeId === holder.nodeId && record.workerId === holder.workerId;
}

function unheld(state: Tables, holder: RefHolder, ids: readonly string[], what: string): string | undefined {
  const missing = ids.find((id) => !state.workerRefs.holds(holder, id));
  return missing === undefined ? undefined : `a ${what} of object ${missing}, whose ref it was never given`;
}

/** Calls and kills reach only actors the worker was handed, named actors, and the worker's own actor. */
function actorRefusal(state: Tables, holder: RefHolder, actorId: string, what: string): string | undefined {
  const actor = state.actors.get(actorId);
  if (!actor) return undefined; // unknown or by name: resolved (or refused) as for anyone
  if (actor.name !== undefined) return undefined;
  if (actor.nodeId === holder.nodeId && actor.workerId === holder.workerId) return undefined;
  if (state.workerActors.holds(holder, actorId)) return undefined;
  return `a ${what} of actor ${actorId}, whose handle it was never given`;
}

/** A submission passes on only refs and actor handles the worker holds. */
function argsRefusal(
  state: Tables,
  holder: RefHolder,
  args: EncodedArgs,
): string | undefined {
  const refs = [...(args.refArgs ?? []).filter((id): id is string => id !== null), ...args.nestedRefs];
  const refused = unheld(state, holder, refs, 'submission passing on');
  if (refused) return refused;
  if (!args.special) return undefined;
  for (const actorId of actorIdsIn(args.values)) {
    const actorRefused = actorRefusal(state, holder, actorId, 'submission passing on');
    if (actorRefused) return actorRefused;
  }
  return undefined;
}
