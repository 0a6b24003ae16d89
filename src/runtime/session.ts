import { RayboxUsageError } from '../core/errors.ts';
import { describe } from '../core/options.ts';
import { setRealm, setRealmStarter } from '../core/realm.ts';
import type { WorkerFactory } from '../workers/host/worker-link.ts';
import { createLocalNode } from '../workers/host/local-node.ts';
import type { WorkerPoolNode } from '../workers/host/worker-pool-node.ts';
import { Driver } from './driver.ts';
import { pageSignaling, Rooms } from './rooms.ts';
import type { Backend } from '../core/events.ts';
import type { InitOptions, RuntimeInfo } from './runtime-info.ts';

/** The running runtime of this page, if any: a driver and its local node. */
interface Session {
  driver: Driver;
  node: WorkerPoolNode;
  ready: Promise<void>;
  options: InitOptions;
}

let session: Session | undefined;
let workerFactory: WorkerFactory | undefined;
let countGpus: () => Promise<number> = () => Promise.resolve(0);
let predictBackend: () => Promise<Backend | null> = () => Promise.resolve(null);

/** The page's room, if any; one per page, living across init/shutdown of the local runtime. */
export const rooms = new Rooms({
  driver: () => driver(),
  signaling: () => pageSignaling(session?.options),
  countGpus: () => countGpus(),
  predictBackend: () => predictBackend(),
});

/** What the session needs from the layers above the runtime, which it may not import. */
export interface SessionWiring {
  /** Starts a worker running the bundled worker script. */
  createWorker: WorkerFactory;
  /** How many hardware WebGPU adapters this page offers as `GPU` resources. */
  countGpus: () => Promise<number>;
  /** Which TensorFlow.js backend this browser's workers will use. */
  predictBackend: () => Promise<Backend | null>;
}

/**
 * Connects the session to the worker script and the ml layer. The facade (`src/index.ts`) calls
 * it once, in its wiring block; until then `init()` has no way to start a worker.
 */
export function wireSession(wiring: SessionWiring): void {
  workerFactory = wiring.createWorker;
  countGpus = wiring.countGpus;
  predictBackend = wiring.predictBackend;
}

function defaultWorkers(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(1, cores - 1);
}

function checkInitOptions(options: InitOptions): void {
  const known = new Set(['numWorkers', 'resources', 'signaling', 'iceServers', 'tfBackend']);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new RayboxUsageError(`init(): unknown option '${key}'. Known options: ${[...known].join(', ')}.`);
  }
  const n = options.numWorkers;
  if (n !== undefined && (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 256)) {
    throw new RayboxUsageError(`init(): numWorkers must be an integer from 1 to 256, got ${describe(n)}.`);
  }
  const backends = ['webgpu', 'webgl', 'wasm', 'cpu'];
  if (options.tfBackend !== undefined && !backends.includes(options.tfBackend)) {
    throw new RayboxUsageError(`init(): tfBackend must be one of ${backends.join(', ')}, got ${describe(options.tfBackend)}.`);
  }
  for (const [name, amount] of Object.entries(options.resources ?? {})) {
    if (typeof amount !== 'number' || !(amount >= 0)) {
      throw new RayboxUsageError(`init(): resource '${name}' must be a number ≥ 0, got ${describe(amount)}.`);
    }
  }
}

/** Starts the runtime synchronously (workers keep booting in the background). */
function start(options: InitOptions): Session {
  if (session) return session;
  if (!workerFactory) throw new Error('raybox: no worker factory set. Import raybox from its package entry.');
  checkInitOptions(options);
  const nodeId = Math.random().toString(36).slice(2, 8);
  const driver = new Driver(nodeId);
  const node = createLocalNode(
    {
      nodeId,
      numWorkers: options.numWorkers ?? defaultWorkers(),
      resources: options.resources ?? {},
      createWorker: workerFactory,
      config: { backend: options.tfBackend },
    },
    driver,
  );
  driver.addNode(node);
  setRealm(driver);
  const ready = Promise.all([
    node.ready(),
    countGpus().then((gpus) => {
      if (gpus > 0) node.addResources({ GPU: gpus });
    }),
  ]).then(() => driver.nodeUpdated(node));
  session = { driver, node, ready, options };
  return session;
}

setRealmStarter(() => start({}).driver);

export async function init(options: InitOptions = {}): Promise<RuntimeInfo> {
  const running = session;
  const s = running ?? start(options);
  await s.ready;
  if (running) await reconfigure(running, options);
  return { nodeId: s.node.id, numWorkers: s.node.info().numWorkers, resources: { ...s.node.total() } };
}

/**
 * `init` on a running runtime (the notebook page starts one before any cell runs): a new
 * `numWorkers` grows or shrinks the pool; any other option that differs from the running one
 * cannot change under running work, and says so rather than being ignored.
 */
async function reconfigure(s: Session, options: InitOptions): Promise<void> {
  checkInitOptions(options);
  const fixed = (['resources', 'signaling', 'iceServers', 'tfBackend'] as const).filter(
    (key) => options[key] !== undefined && JSON.stringify(options[key]) !== JSON.stringify(s.options[key]),
  );
  if (fixed.length > 0) {
    throw new RayboxUsageError(
      `init(): the runtime is already running, and ${fixed.join(', ')} cannot change while it runs. ` +
        `Call \`await raybox.shutdown()\` first, then init() with the new options (only numWorkers applies to a running runtime).`,
    );
  }
  if (options.numWorkers !== undefined && options.numWorkers !== s.node.info().numWorkers) {
    await s.node.resize(options.numWorkers);
    s.options = { ...s.options, numWorkers: options.numWorkers };
    s.driver.nodeUpdated(s.node);
  }
}

export async function shutdown(): Promise<void> {
  await rooms.leave();
  const s = session;
  if (!s) return;
  session = undefined;
  setRealm(undefined);
  await s.driver.shutdown();
}

export function isInitialized(): boolean {
  return session !== undefined;
}

/** The running driver; starts one with defaults when none runs, as Ray does. */
export function driver(): Driver {
  return (session ?? start({})).driver;
}
