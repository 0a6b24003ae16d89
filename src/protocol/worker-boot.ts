/**
 * How a worker starts, before the first protocol item: the bootstrap message the host posts, the
 * control calls it answers over Comlink, and where its tasks and results flow. The host
 * (`workers/host/worker-link.ts`), the worker (`workers/entry/start-worker.ts`) and a joiner's
 * sandbox (`net/worker-channel.ts`) all speak it.
 */

/** Where a worker's tasks arrive and its results go: its own port, or a stand-in with the same shape. */
export interface DataPort {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** A DataChannel straight to the head of a room, and a port to the node's store of held objects. */
export interface ChannelHandover {
  channel: RTCDataChannel;
  store: MessagePort;
}

/** Settings of a pool's workers, from `init()`. */
export interface WorkerConfig {
  /** Force this TensorFlow.js backend in every worker (tests, benchmarks). */
  backend?: string | undefined;
}

/** The first message a worker receives, before any protocol item. */
export interface WorkerBootstrap {
  rayboxBootstrap: { workerId: string; nodeId: string; lockName: string; config: WorkerConfig };
  control: MessagePort;
  /**
   * Where tasks and results flow, when not the worker's own port: a peer's sandbox hands its
   * workers the head's DataChannel itself, so tasks and results skip the sandbox page.
   */
  channel?: ChannelHandover;
}

/** Low-frequency calls from the host, over Comlink on a port of their own. */
export interface WorkerControl {
  /** Resolves once the worker holds its liveness lock and takes tasks. */
  ready(): Promise<true>;
  stats(): { tasksRun: number; running: number; queued: number };
  backend(): Promise<string | null>;
  /** Keeps a port the page hands over (transferred), for the code in this worker that asks for `key`. */
  takePort(key: string, port: MessagePort): void;
}
