import { EnvelopeBatcher, type Envelope } from '../../protocol/envelope-batcher.ts';
import type { FromWorker } from '../../protocol/messages.ts';

/**
 * The worker's outbox: what it sends the head, batched per turn into one envelope (so a batch of
 * a thousand tasks that finish synchronously costs one message back). An item that cannot travel
 * (a value postMessage refuses) becomes a failure of its task saying why, so the head's `get`
 * settles and this worker goes on serving.
 */
export class Outbox extends EnvelopeBatcher<FromWorker> {
  constructor(post: (message: Envelope, transfer: Transferable[]) => void) {
    super(post, { unsendable: cannotTravel });
  }
}

/** What goes instead of an item that could not be sent. */
function cannotTravel(item: FromWorker, error: unknown): FromWorker {
  const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const advice =
    'Return or yield plain data (numbers, strings, arrays, plain objects, typed arrays, Maps, Sets, Dates); ' +
    'convert class instances and platform objects (canvases, streams, sockets) to plain data first.';
  switch (item.type) {
    case 'done':
    case 'yield': {
      const what = item.type === 'done' ? 'The value this task returned' : `Value ${item.index} this task yielded`;
      const message = `${what} cannot be sent to the head (${why}). ${advice}`;
      const time = performance.timeOrigin + performance.now();
      return { type: 'failed', taskId: item.taskId, error: { name: 'RayboxUsageError', message }, start: item.type === 'done' ? item.start : time, end: time };
    }
    case 'put': {
      const message = `The value given to put() cannot be sent to the head (${why}). ${advice.replace('Return or yield', 'Put')}`;
      return { type: 'putFailed', objectId: item.objectId, error: { name: 'RayboxUsageError', message } };
    }
    default:
      return { type: 'log', taskId: null, level: 'error', text: `raybox: a '${item.type}' message could not be sent to the head (${why}). ${advice}`, time: Date.now() };
  }
}
