/**
 * Streaming generators: the yields of a streaming task as they arrive, the end of the stream
 * (or its error), and handing each yield to the consumer, in the page or in a worker.
 */
import { RayboxUsageError } from '../core/errors.ts';
import { yieldId } from '../core/ids.ts';
import type { ClusterNode } from '../core/node.ts';
import { ObjectRef } from '../core/object-ref.ts';
import type { ProtocolNode } from '../protocol/node-host.ts';
import { decodeValue } from '../protocol/value-codec.ts';
import { decodeContext, isTerminal, replyError } from './driver-helpers.ts';
import type { DriverState } from './driver-state.ts';
import type { Lineage } from './lineage.ts';
import type { TaskRecord } from './records.ts';
import type { RefHolder } from './worker-refs.ts';

export class Streams {
  readonly #state: Pick<DriverState, 'tasks' | 'objects' | 'workerRefs'>;
  readonly #lineage: Pick<Lineage, 'dropTask'>;
  /** Generators in this page: one collected before its end abandons its stream. */
  readonly #generators = new FinalizationRegistry<string>((taskId) => this.abandon(taskId));

  constructor(state: Pick<DriverState, 'tasks' | 'objects' | 'workerRefs'>, lineage: Pick<Lineage, 'dropTask'>) {
    this.#state = state;
    this.#lineage = lineage;
  }

  onYield(node: ClusterNode, taskId: string, index: number, value: unknown, size: number, special: boolean, handlers: string[] | undefined): void {
    const record = this.#state.tasks.get(taskId);
    const stream = record?.stream;
    if (!record || !stream || record.nodeId !== node.id || isTerminal(record.state)) return;
    if (index < stream.yielded.length) return; // a retried stream yields again what it already gave
    const id = yieldId(taskId, index);
    stream.yielded.push(id);
    if (stream.abandoned) return; // nobody will take it: it is not kept
    this.#state.objects.create(id, taskId);
    this.#state.objects.resolve(id, special ? decodeValue(value, decodeContext) : value, size, special, handlers);
    stream.refs.push(new ObjectRef(id)); // held until the consumer has taken it
    this.#wake(record);
  }

  /** Watches the page's generator of a stream, so that dropping it frees what it did not take. */
  track(generator: object, taskId: string): void {
    this.#generators.register(generator, taskId);
  }

  /**
   * Nobody will iterate this stream any more: its untaken yields are let go (each is freed once
   * no other ref holds it), and its record goes once the task ends. The task itself runs on.
   * Only the stream's own consumer (`by`: a worker, or undefined for the page) can drop it.
   */
  abandon(taskId: string, by?: RefHolder): void {
    const record = this.#state.tasks.get(taskId);
    const stream = record?.stream;
    if (!record || !stream || stream.consumer?.nodeId !== by?.nodeId || stream.consumer?.workerId !== by?.workerId) return;
    stream.abandoned = true;
    stream.refs = [];
    stream.waiters = [];
    if (isTerminal(record.state)) this.#lineage.dropTask(record);
  }

  /** A worker died: the streams it was iterating have no consumer left. */
  consumerGone(holder: RefHolder): void {
    for (const record of this.#state.tasks.values()) {
      const consumer = record.stream?.consumer;
      if (consumer?.nodeId === holder.nodeId && consumer.workerId === holder.workerId) this.abandon(record.id, holder);
    }
  }

  end(record: TaskRecord, error: Error | undefined): void {
    const stream = record.stream;
    if (!stream) return;
    stream.done = true;
    stream.error = error;
    this.#wake(record);
  }

  #wake(record: TaskRecord): void {
    const waiters = record.stream?.waiters ?? [];
    if (record.stream) record.stream.waiters = [];
    for (const wake of waiters) wake();
  }

  nextYield(taskId: string, index: number): Promise<string | null> {
    const record = this.#state.tasks.get(taskId);
    const stream = record?.stream;
    if (!stream) return Promise.reject(new RayboxUsageError(`No streaming task ${taskId} is known: iterate a generator only once.`));
    return new Promise((resolve, reject) => {
      const check = () => {
        const id = stream.yielded[index];
        if (id !== undefined) {
          // Hand the stream's own ref over: the object lives as long as the consumer keeps it.
          stream.refs[index] = undefined;
          resolve(id);
          return;
        }
        if (stream.done) {
          // The consumer has seen the end: the record is no longer needed.
          if (record && isTerminal(record.state)) this.#lineage.dropTask(record);
          if (stream.error) reject(stream.error);
          else resolve(null);
          return;
        }
        stream.waiters.push(check);
      };
      check();
    });
  }

  async nextRef(taskId: string, index: number): Promise<ObjectRef | undefined> {
    const id = await this.nextYield(taskId, index);
    return id === null ? undefined : new ObjectRef(id);
  }

  /** A worker iterating a generator: the next yield's id goes back, with one ref for the worker. */
  answerNext(node: ProtocolNode, workerId: string, requestId: number, taskId: string, index: number): void {
    this.nextYield(taskId, index).then(
      (id) => {
        if (id !== null) this.#state.workerRefs.add({ nodeId: node.id, workerId }, id); // the worker's ref
        node.send(workerId, { type: 'reply', requestId, ok: true, value: id, special: false });
      },
      (error: unknown) => node.send(workerId, replyError(requestId, error)),
    );
  }
}
