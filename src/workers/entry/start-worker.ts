import * as Comlink from 'comlink';
import * as api from '../../core/api.ts';
import { makeActorHandle } from '../../core/actor-handle.ts';
import { errorToData } from '../../core/errors.ts';
import { ObjectRef, RefTracker, setRefHooks } from '../../core/object-ref.ts';
import { setRealm } from '../../core/realm.ts';
import { assertNever, type CreateActorItem, type ToWorker } from '../../protocol/messages.ts';
import { decodeToWorker } from '../../protocol/validate.ts';
import type { ChannelHandover, DataPort, WorkerBootstrap, WorkerConfig, WorkerControl } from '../../protocol/worker-boot.ts';
import { decodeValue, handlersReady, type DecodeContext } from '../../protocol/value-codec.ts';
import { captureConsole } from './console-capture.ts';
import { callRun, Executor, taskRun, type TaskWrapper } from './executor.ts';
import { FunctionCache } from './function-cache.ts';
import { LazyApi, type LazyMember } from './lazy-api.ts';
import { Outbox } from './outbox.ts';
import { deliverPort } from './port-mailbox.ts';
import { WorkerRealm } from './worker-realm.ts';
import { TaskContext } from './task-context.ts';


/** What the worker script adds to the bare runtime: lazy globals such as `tf`, and a task wrapper. */
export interface WorkerExtensions {
  /** Globals defined lazily: the getter runs on first use, so a task that never touches one pays nothing. */
  globals?: Record<string, () => unknown>;
  wrapTask?: TaskWrapper;
  /** What a function's source needs loaded before it first runs, e.g. TensorFlow.js for `tf`. */
  prepare?: (source: string) => (() => Promise<void>) | null;
  /** More members of the global `raybox`, from layers above (e.g. `ml`). */
  api?: Record<string, unknown>;
  /**
   * Members of the global `raybox` that load on first use (see `LazyApi`): each loader (a dynamic
   * import) runs before the first function whose source names `raybox.<name>`, and before a value of a
   * kind it `decodes` is decoded.
   */
  lazyApi?: Record<string, LazyMember>;
  /** Receives the pool's settings before any task runs. */
  configure?: (config: WorkerConfig) => void;
  /** Answers `backend()` on the control channel, e.g. the TensorFlow.js backend once loaded. */
  backend?: () => Promise<string | null>;
  /** Makes the DataChannel a peer's sandbox handed over (WorkerBootstrap.channel) the worker's data port. */
  openChannel?: (handover: ChannelHandover) => DataPort;
}

declare const self: DedicatedWorkerGlobalScope;

/**
 * Starts the raybox runtime inside a dedicated worker. Data (tasks, results, requests) flows as
 * batched protocol envelopes over the worker's own port; control calls go over Comlink.
 */
export function startWorker(extensions: WorkerExtensions = {}): void {
  self.addEventListener('message', function bootstrap(event: MessageEvent) {
    const data = event.data as Partial<WorkerBootstrap>;
    if (!data.rayboxBootstrap || !data.control) return;
    self.removeEventListener('message', bootstrap);
    run(data.rayboxBootstrap, data.control, data.channel, extensions);
  });
}

function openData(handover: ChannelHandover | undefined, extensions: WorkerExtensions): DataPort {
  if (!handover) return self;
  if (!extensions.openChannel) throw new Error('this worker script cannot take a DataChannel: start it with openChannel');
  return extensions.openChannel(handover);
}

function run(boot: WorkerBootstrap['rayboxBootstrap'], control: MessagePort, handover: ChannelHandover | undefined, extensions: WorkerExtensions): void {
  const data = openData(handover, extensions);
  extensions.configure?.(boot.config ?? {});
  const outbox = new Outbox((message, transfer) => data.postMessage(message, transfer));
  const send = outbox.send.bind(outbox);
  const decode: DecodeContext = { reviveActor: (d) => makeActorHandle(d) };
  const lazy = new LazyApi(extensions.lazyApi ?? {});
  const functions = new FunctionCache(bothPrepared(extensions.prepare, (source) => lazy.prepare(source)));
  const wrap: TaskWrapper = extensions.wrapTask ?? ((runTask) => runTask());
  const tasks = new Executor({ send }, wrap, 1);
  let actor: { instance: Record<string, unknown> | undefined; executor: Executor } | undefined;

  const realm = new WorkerRealm({ nodeId: boot.nodeId, workerId: boot.workerId }, {
    send: (item) => send(item),
    blocked: (c) => (actor?.executor ?? tasks).blocked(c),
    resumed: (c) => (actor?.executor ?? tasks).resumed(c),
  }, decode);
  setRealm(realm);
  const tracker = new RefTracker((counts) => send({ type: 'release', counts: [...counts] }));
  setRefHooks(tracker);
  installGlobals(extensions, lazy);
  captureConsole(send);
  // A worker that closes itself says so first, so its tasks are retried at once.
  const close = self.close.bind(self);
  self.close = () => {
    send({ type: 'closing' });
    outbox.flush();
    close();
  };

  const createActor = async (item: CreateActorItem) => {
    const executor = new Executor({ send }, wrap, item.maxConcurrency);
    actor = { instance: undefined, executor };
    try {
      await handlersReady(item.handlers);
      const cls = functions.get(item.fnId, item.source) as new (...args: unknown[]) => Record<string, unknown>;
      await functions.ready(item.fnId);
      const args = item.special ? (decodeValue(item.args, decode) as unknown[]) : item.args;
      actor.instance = new cls(...args);
      send({ type: 'actorReady', actorId: item.actorId });
    } catch (error) {
      send({ type: 'actorFailed', actorId: item.actorId, error: errorToData(error) });
    }
  };

  const handle = (item: ToWorker) => {
    switch (item.type) {
      case 'run':
        tasks.push({
          context: new TaskContext(item.taskId, item.name),
          run: taskRun(item, functions, decode),
          numReturns: item.numReturns ?? 1,
          streaming: item.streaming ?? false,
          transferResults: true,
        });
        return;
      case 'createActor':
        void createActor(item);
        return;
      case 'callActor': {
        const current = actor;
        if (!current) return;
        current.executor.push({
          context: new TaskContext(item.taskId, item.name),
          run: callRun(item, () => current.instance ?? {}, decode),
          numReturns: item.numReturns ?? 1,
          streaming: item.streaming ?? false,
          transferResults: false,
        });
        current.executor.pump();
        return;
      }
      case 'cancel': {
        const executor = actor?.executor ?? tasks;
        const context = executor.context(item.taskId);
        if (executor.dropQueued(item.taskId)) return;
        context?.abort.abort(new Error('cancelled'));
        return;
      }
      case 'reply':
        realm.reply(item);
        return;
      case 'namedActor':
        realm.setNamedActor(item.name, item.actor);
        return;
      default:
        assertNever(item);
    }
  };

  data.addEventListener('message', (event: MessageEvent) => {
    let items: ToWorker[];
    try {
      items = decodeToWorker(event.data);
    } catch (error) {
      send({ type: 'log', taskId: null, level: 'error', text: `raybox worker dropped a bad message: ${String(error)}`, time: Date.now() });
      return;
    }
    for (const item of items) handle(item);
    tasks.pump();
    // What the synchronous work of this message produced (results, above all) goes now, as one
    // envelope: the head waits for it, and the rest of the turn adds nothing to it.
    outbox.flush();
  });

  let resolveReady: (value: true) => void = () => {};
  const ready = new Promise<true>((resolve) => (resolveReady = resolve));
  // Held until the worker dies: the host's request for the same lock is granted exactly then.
  // An opaque origin (a peer's sandbox) has no locks; the worker is ready all the same.
  const locks = navigator.locks as LockManager | undefined;
  if (!locks) resolveReady(true);
  locks
    ?.request(boot.lockName, () => {
      resolveReady(true);
      return new Promise<never>(() => {});
    })
    .catch(() => resolveReady(true));
  const controlApi: WorkerControl = {
    ready: () => ready,
    stats: () => ({ tasksRun: tasks.tasksRun + (actor?.executor.tasksRun ?? 0), running: tasks.running, queued: tasks.queued }),
    backend: () => extensions.backend?.() ?? Promise.resolve(null),
    takePort: (key, port) => {
      if (typeof key === 'string' && port instanceof MessagePort) deliverPort(key, port);
    },
  };
  Comlink.expose(controlApi, control);
}

/** `raybox` is this realm's API, the same calls as the page's; `cancelled()` speaks of the running task. */
/** One `prepare` made of two: what either needs loaded is loaded before the function runs. */
function bothPrepared(
  first: WorkerExtensions['prepare'],
  second: NonNullable<WorkerExtensions['prepare']>,
): (source: string) => (() => Promise<void>) | null {
  return (source) => {
    const a = first?.(source) ?? null;
    const b = second(source);
    if (!a || !b) return a ?? b;
    return () => Promise.all([a(), b()]).then(() => undefined);
  };
}

function installGlobals(extensions: WorkerExtensions, lazy: LazyApi): void {
  const raybox: Record<string, unknown> = { ...api, ObjectRef, ...extensions.api };
  lazy.install(raybox);
  Object.defineProperty(globalThis, 'raybox', { value: raybox, configurable: true, writable: true });
  for (const [name, load] of Object.entries(extensions.globals ?? {})) {
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        const value = load();
        Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
        return value;
      },
    });
  }
}
