/**
 * raybox: Ray's tasks, objects and actors in the browser. This module is the whole public API;
 * names follow Ray's Python API in camelCase.
 *
 * @example
 * import { init, remote, get } from 'raybox';
 * await init();
 * const square = remote((x: number) => x * x);
 * console.log(await get([1, 2, 3].map((x) => square.remote(x)))); // [1, 4, 9]
 */
import type { NodeInfo, RayboxEvent } from './core/events.ts';
import type { Resources } from './core/resources.ts';
import { RayboxUsageError } from './core/errors.ts';
import { hasHardwareWebGpu } from './ml/gpu-probe.ts';
import { predictBackend } from './ml/predicted-backend.ts';
import type { JoinRoomOptions, OpenRoomOptions, RoomState } from './runtime/rooms.ts';
import { driver, rooms, wireSession } from './runtime/session.ts';
import { setMetricReporter } from './rl/metrics.ts';

/*
 * The wiring: the one place where importing raybox changes anything. The runtime may not import
 * the layers above it, so the facade hands it the worker script and the ml layer's probes, and
 * hands rl the way to publish metric events. Nothing else runs on import.
 */
wireSession({
  createWorker: () => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'raybox-worker' }),
  // A hardware WebGPU adapter is a GPU resource: `numGpus: 1` tasks run only where one exists.
  countGpus: async () => ((await hasHardwareWebGpu()) ? 1 : 0),
  predictBackend,
});
// Each `algo.train()` result becomes a metric event, so the notebook charts training live.
setMetricReporter((source, step, values) => reportMetrics(source, step, values));

/**
 * TensorFlow.js, the same in the page and in tasks (where `tf` is also a global).
 * @example
 * await ml.backend(); // 'wasm' without a hardware GPU
 */
export { ml } from './ml/index.ts';

/**
 * Reinforcement learning, RLlib-style: environments, PPO, DQN and PG, trained by env-runner actors.
 * @example
 * const algo = new rl.PPOConfig().environment('CartPole-v1').build();
 * const { episodeReturnMean } = await algo.train();
 */
export { rl } from './rl/index.ts';

/**
 * Datasets as in Ray Data: lazy plans of operators streamed block by block through tasks and
 * actor pools, within a memory budget.
 * @example
 * const ds = data.fromItems(Array.from({ length: 10000 }, (_, i) => ({ name: String(i), data: i })));
 * const squares = ds.map((r) => ({ data: r.data ** 2 })).filter((r) => r.data % 2 === 0);
 * await squares.flatMap((r) => [{ x: r.data }, { x: r.data ** 3 }]).take(10);
 */
export { data } from './data/index.ts';
export type { Dataset, DataIterator, GroupedData } from './data/index.ts';

/**
 * Serving, after Ray Serve: deployments whose replicas are actors, handles, batching, composition.
 * @example
 * const Echo = serve.deployment((text: string) => text.toUpperCase(), { numReplicas: 2 });
 * const handle = await serve.run(Echo.bind());
 * await handle.remote('hi'); // 'HI'
 */
export { serve } from './serve/index.ts';
export type { Deployment, Application, DeploymentOptions, AutoscalingConfig, DeploymentHandle, DeploymentResponse, BatchOptions, RunOptions, StatusReport, ServeStatus } from './serve/index.ts';
export { ServeConfigError, ServeOverloadedError, DeploymentDeletedError } from './serve/index.ts';

/**
 * Hyperparameter tuning, Ray Tune-style: search spaces, trials in actors, schedulers, searchers.
 * @example
 * const grid = await new tune.Tuner(objective, { paramSpace: { x: tune.gridSearch([0, 1]) }, tuneConfig: { metric: 'score', mode: 'min' } }).fit();
 * grid.getBestResult().config;
 */
export { tune } from './tune/index.ts';

/**
 * Data-parallel training after Ray Train: a group of worker actors runs your loop; gradients are
 * averaged across them each step.
 * @example
 * const result = await new train.TensorflowTrainer(loop, { scalingConfig: { numWorkers: 2 }, datasets: { train: ds } }).fit();
 */
export { train } from './train/index.ts';
export type { Result as TrainResult, TrainerOptions, ScalingConfig, TrainContext, GradientCompression } from './train/index.ts';

export { init, shutdown, isInitialized } from './runtime/session.ts';
export type { InitOptions, RuntimeInfo } from './runtime/runtime-info.ts';
export { remote, get, put, wait, cancel, kill, getActor, cancelled, taskSignal, taskId, getRuntimeContext } from './core/api.ts';
export { ObjectRef } from './core/object-ref.ts';
export { ObjectRefGenerator } from './core/object-ref-generator.ts';
export type { RemoteFunction } from './core/remote-function.ts';
export type { ActorClass } from './core/actor-class.ts';
export type { ActorHandle, ActorMethod } from './core/actor-handle.ts';
export type { TaskOptions, ActorOptions, ActorMethodOptions, SchedulingStrategy } from './core/options.ts';
export type { WaitResult, CancelOptions } from './core/realm.ts';
export type { RayboxEvent, TaskEvent, NodeEvent, ObjectEvent, ActorEvent, LogEvent, MetricEvent, ServeEvent, NodeInfo, TaskState, ActorState, Backend } from './core/events.ts';
export type { Resources } from './core/resources.ts';
export {
  RayboxError,
  RayboxUsageError,
  TaskError,
  GetTimeoutError,
  TaskCancelledError,
  WorkerCrashedError,
  ActorDiedError,
  ObjectLostError,
  NodeDiedError,
  RoomError,
} from './core/errors.ts';

/**
 * The nodes of the cluster: this page's workers and any peers.
 * @example
 * nodes().map((n) => `${n.label}: ${n.resources.CPU} CPUs on ${n.backend}`);
 */
export function nodes(): NodeInfo[] {
  return driver().nodes();
}

/**
 * Resources of all live nodes together.
 * @example
 * clusterResources(); // { CPU: 3 }
 */
export function clusterResources(): Resources {
  return driver().clusterResources();
}

/**
 * Resources not held by running tasks and actors right now.
 * @example
 * availableResources().CPU;
 */
export function availableResources(): Resources {
  return driver().availableResources();
}

/**
 * Every task state change, node join and leave, object creation and release, actor change and
 * log line, as it happens. Returns the function that unsubscribes.
 * @example
 * const stop = onEvent((e) => e.type === 'task' && console.log(e.name, e.state));
 */
export function onEvent(listener: (event: RayboxEvent) => void): () => void {
  return driver().onEvent(listener);
}

/**
 * The same stream as `onEvent`, delivered in batches: the events of one turn of the event loop
 * in one call, oldest first, optionally only some types. For consumers that fold many events
 * (a dashboard, a logger): they pay per batch, not per event. Returns the function that unsubscribes.
 * @example
 * const stop = onEventBatch((events) => (finished += events.length), { types: ['task'] });
 */
export function onEventBatch(listener: (events: readonly RayboxEvent[]) => void, options: { types?: readonly RayboxEvent['type'][] } = {}): () => void {
  return driver().onEventBatch(listener, options);
}

/**
 * How many objects the store holds and their approximate size in bytes.
 * @example
 * objectStoreStats(); // { count: 3, bytes: 4000024 }
 */
export function objectStoreStats(): { count: number; bytes: number } {
  return driver().objectStoreStats();
}

/**
 * Publishes a row of numbers on the event stream, e.g. one training iteration. The notebook draws
 * each `source` as a live line chart.
 * @example
 * reportMetrics('my run', iteration, { loss: 0.3, accuracy: 0.9 });
 */
export function reportMetrics(source: string, step: number, values: Record<string, number>): void {
  if (typeof source !== 'string' || !Number.isFinite(step)) {
    throw new RayboxUsageError('reportMetrics(source, step, values): source is a string, step a finite number.');
  }
  driver().reportMetrics(source, step, values);
}

export type { OpenRoomOptions, JoinRoomOptions, RoomState, RoomPeer } from './runtime/rooms.ts';

/**
 * Opens a room with this page as its head: browsers that open the returned link and agree join
 * as worker nodes, and the scheduler uses their workers like this page's own.
 * @example
 * const { link } = await openRoom({ passphrase: 'tea' }); // share the link
 */
export function openRoom(options?: OpenRoomOptions): Promise<{ roomId: string; link: string }> {
  return rooms.open(options);
}

/**
 * Offers this page's workers to a room. The room's code runs only in sandboxed workers here,
 * without network or access to this page's storage.
 * @example
 * await joinRoom(new URLSearchParams(location.search).get('room')!, { passphrase: 'tea' });
 */
export function joinRoom(roomId: string, options?: JoinRoomOptions): Promise<void> {
  return rooms.join(roomId, options);
}

/**
 * Leaves the room this page joined, or closes the room it heads.
 * @example
 * await leaveRoom();
 */
export function leaveRoom(): Promise<void> {
  return rooms.leave();
}

/**
 * Where this page stands in a room, and a way to follow it.
 * @example
 * onRoomChange((s) => console.log(s.role, s.peers.length));
 */
export function roomState(): RoomState {
  return rooms.state();
}

export function onRoomChange(listener: (state: RoomState) => void): () => void {
  return rooms.subscribe(listener);
}
