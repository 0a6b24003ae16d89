import { availableBackends } from './available-backends.ts';
import { choiceKey, gpuCandidates, pickFastest } from './backend-choice.ts';
import { isBackendName, type BackendName } from './backend-name.ts';
import { timeMatmul } from './calibrate.ts';
import { readChoice, writeChoice } from './choice-cache.ts';
import { BackendUnavailableError, NoBackendError } from './errors.ts';
import { probeGpus, type GpuProbe } from './gpu-probe.ts';
import { importTf, loadedTf, type Tf } from './tf-module.ts';
import { WASM_FILES } from './wasm-files.ts';
import { TIMED_OUT, withTimeout } from './with-timeout.ts';

/**
 * Loading TensorFlow.js and choosing its backend, once per realm (the main thread and each
 * worker have their own tf and their own backend).
 *
 * The automatic choice, in order:
 * 1. GPU backends on real hardware only: WebGPU on a hardware adapter, then WebGL on a hardware
 *    renderer (or a masked one). Software GPUs (SwiftShader, llvmpipe, fallback adapters) are
 *    never tried: they are many times slower than wasm.
 * 2. If a GPU backend initialises, a short calibration (256×256 matmul, readback included) races
 *    it against the CPU side, because a real but weak GPU can still lose to wasm SIMD. The
 *    verdict is cached per browser and GPU (memory + IndexedDB), so only the first realm pays.
 * 3. Otherwise wasm (SIMD; threaded only when the page is cross-origin isolated), then cpu.
 * Every initialisation runs under a timeout, so a hang (the threaded wasm build does hang in some
 * bundles) becomes a fallback instead of a realm without tensors.
 */

export interface LoadTfOptions {
  /**
   * Use exactly this backend (tests, benchmarks). Throws `BackendUnavailableError` if it cannot
   * be initialised here. Switches the realm's current backend.
   * @default undefined: choose automatically, once per realm
   */
  backend?: BackendName;
  /**
   * Milliseconds one backend's initialisation may take before it counts as failed.
   * @default 10_000
   */
  initTimeoutMs?: number;
  /**
   * Keep the calibration verdict in IndexedDB for every realm of this origin (else memory only).
   * @default true
   */
  persistChoice?: boolean;
  /**
   * Threads of the wasm backend, read when wasm is first initialised in the realm. `1` turns
   * threading off (several workers each with a full thread pool oversubscribe the cores).
   * Threads need cross-origin isolation; without it wasm is single-threaded whatever this says.
   * @default undefined: TensorFlow.js's default (navigator.hardwareConcurrency when isolated)
   */
  wasmThreads?: number;
  /**
   * What to believe about this realm's GPUs instead of asking the browser; read by the
   * automatic choice only. For tests: it lets a machine without a GPU walk the calibration path
   * (a software WebGL declared 'hardware' must then lose to wasm on its timings).
   * @default undefined: probe the browser
   */
  gpus?: GpuProbe;
}

/** How the realm's backend was decided: what `nodes()` and logs can show. */
export interface BackendChoice {
  backend: BackendName;
  /** One line on why, e.g. "no hardware GPU (webgl: ANGLE … SwiftShader …); wasm initialised". */
  reason: string;
  /** Median ms of the calibration matmul per backend, when one ran (or its cached result). */
  timings?: Partial<Record<BackendName, number>>;
  /** Backends that were tried and failed, with why. */
  failures: Partial<Record<BackendName, string>>;
  gpus?: GpuProbe;
}

const DEFAULT_INIT_TIMEOUT_MS = 10_000;
const CALIBRATION_LOCK = 'raybox-ml-backend-calibration';

/** An initialisation's result; `detail` says how it runs (e.g. "SIMD, 2 threads"). */
type Outcome = { ok: true; detail?: string } | { ok: false; reason: string };

let automatic: Promise<BackendChoice> | undefined;
let choice: BackendChoice | undefined;
/** Backend switches of this realm, one at a time: two concurrent `setBackend`s confuse tf's engine. */
let switching: Promise<unknown> = Promise.resolve();
let wasmConfigured = false;

function serially<T>(operation: () => Promise<T>): Promise<T> {
  const result = switching.then(operation, operation);
  switching = result.catch(() => undefined);
  return result;
}

/**
 * Loads TensorFlow.js in this realm and makes sure it has a backend; resolves to the `tf`
 * namespace.
 *
 * Without `options.backend`, the first call in a realm chooses the best backend (see the module
 * comment); later calls return tf as it stands, even if code switched backends since (a task may
 * pin `cpu` for bit-exact results, and nobody should silently undo that).
 *
 * @example
 * const tf = await loadTf();
 * const y = tf.matMul(x, w);
 * @example
 * // A benchmark or a test pins a backend; this throws BackendUnavailableError where it cannot run.
 * const tf = await loadTf({ backend: 'wasm' });
 */
export async function loadTf(options: LoadTfOptions = {}): Promise<Tf> {
  const tf = await importTf();
  if (options.backend !== undefined) {
    const backend = options.backend;
    await serially(() => force(tf, backend, options));
    return tf;
  }
  automatic ??= serially(() => (choice ? Promise.resolve(choice) : chooseAutomatically(tf, options))).catch(
    (error: unknown) => {
      automatic = undefined;
      throw error;
    },
  );
  await automatic;
  return tf;
}

/**
 * The backend tensors of this realm run on now, or null where tf is not loaded (or has no
 * backend yet). Synchronous and free: it never loads anything.
 */
export function currentBackend(): BackendName | null {
  const tf = loadedTf();
  if (!tf) return null;
  const name = tf.getBackend() as string | undefined;
  return isBackendName(name) && name in tf.engine().registry ? name : null;
}

/** How this realm's backend was chosen, or undefined before the first `loadTf()` finished. */
export function backendChoice(): BackendChoice | undefined {
  return choice;
}

async function force(tf: Tf, backend: BackendName, options: LoadTfOptions): Promise<BackendChoice> {
  if (currentBackend() === backend && choice?.backend === backend) return choice;
  const previous = currentBackend();
  const outcome = await initialise(tf, backend, options);
  if (!outcome.ok) {
    // Leave the realm on the backend it had rather than on none.
    if (previous !== null) await tf.setBackend(previous);
    const available = (await availableBackends()).filter((name) => name !== backend);
    throw new BackendUnavailableError(backend, available, outcome.reason);
  }
  choice = { backend, reason: 'forced by options.backend', failures: {} };
  return choice;
}

async function chooseAutomatically(tf: Tf, options: LoadTfOptions): Promise<BackendChoice> {
  const gpus = options.gpus ?? (await probeGpus());
  const failures: BackendChoice['failures'] = {};
  const candidates = gpuCandidates(gpus);
  const chosen =
    candidates.length === 0
      ? await cpuSide(tf, options, failures, `no hardware GPU (webgpu: ${gpus.webgpu.description}; webgl: ${gpus.webgl.description})`)
      : await calibrated(tf, options, gpus, candidates, failures);
  choice = { ...chosen, failures, gpus };
  return choice;
}

/** wasm, else cpu: the choice when no GPU takes part. */
async function cpuSide(
  tf: Tf,
  options: LoadTfOptions,
  failures: BackendChoice['failures'],
  why: string,
): Promise<Pick<BackendChoice, 'backend' | 'reason'>> {
  for (const backend of ['wasm', 'cpu'] as const) {
    const outcome = await initialise(tf, backend, options);
    if (outcome.ok) return { backend, reason: `${why}; ${backend} initialised${outcome.detail ? ` (${outcome.detail})` : ''}` };
    failures[backend] = outcome.reason;
  }
  throw new NoBackendError(Object.entries(failures).map(([name, reason]) => `${name}: ${reason}`).join('; '));
}

async function calibrated(
  tf: Tf,
  options: LoadTfOptions,
  gpus: GpuProbe,
  candidates: BackendName[],
  failures: BackendChoice['failures'],
): Promise<Pick<BackendChoice, 'backend' | 'reason' | 'timings'>> {
  const persist = options.persistChoice ?? true;
  const key = choiceKey(gpus, {
    userAgent: globalThis.navigator?.userAgent ?? '',
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    hardwareConcurrency: globalThis.navigator?.hardwareConcurrency ?? 1,
  });
  const fromCache = async (): Promise<Pick<BackendChoice, 'backend' | 'reason' | 'timings'> | undefined> => {
    const cached = await readChoice(key, persist);
    if (!cached) return undefined;
    const outcome = await initialise(tf, cached.backend, options);
    if (outcome.ok) return { backend: cached.backend, reason: 'calibrated earlier in this browser', timings: cached.timings };
    failures[cached.backend] = outcome.reason;
    return undefined;
  };
  const cached = await fromCache();
  if (cached) return cached;

  // One realm calibrates while the others (workers starting together) wait for its verdict:
  // calibrating in parallel would time a contended GPU and CPU.
  return withLock(CALIBRATION_LOCK, async () => {
    const decidedMeanwhile = await fromCache();
    if (decidedMeanwhile) return decidedMeanwhile;
    let gpu: BackendName | undefined;
    for (const candidate of candidates) {
      const outcome = await initialise(tf, candidate, options);
      if (outcome.ok) {
        gpu = candidate;
        break;
      }
      failures[candidate] = outcome.reason;
    }
    const cpu = await cpuSide(tf, options, failures, 'CPU side');
    if (gpu === undefined) return { backend: cpu.backend, reason: `GPU backends failed to initialise; ${cpu.backend} initialised` };
    const timings = { [gpu]: await timeMatmul(tf, gpu), [cpu.backend]: await timeMatmul(tf, cpu.backend) };
    const winner = pickFastest(timings) ?? cpu.backend;
    const loser = winner === gpu ? cpu.backend : gpu;
    await tf.setBackend(winner);
    release(tf, loser);
    await writeChoice(key, { backend: winner, timings, at: Date.now() }, persist);
    const shown = Object.entries(timings).map(([name, ms]) => `${name} ${ms.toFixed(1)} ms`).join(', ');
    return { backend: winner, reason: `calibrated: ${shown} per 256×256 matmul`, timings };
  });
}

/** Runs `critical` under a Web Lock shared by all realms of the origin, where locks exist. */
async function withLock<T>(name: string, critical: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return critical();
  try {
    return await locks.request(name, critical);
  } catch (error) {
    // Opaque origins (sandboxed iframes) refuse locks with a SecurityError; run unlocked there.
    if (error instanceof DOMException && error.name === 'SecurityError') return critical();
    throw error;
  }
}

/** Makes `backend` the current one, registering its package first; never throws. */
async function initialise(tf: Tf, backend: BackendName, options: LoadTfOptions): Promise<Outcome> {
  const timeoutMs = options.initTimeoutMs ?? DEFAULT_INIT_TIMEOUT_MS;
  try {
    if (backend === 'webgpu') {
      // Without an adapter tf's factory throws a bare TypeError (and logs it); say it plainly.
      const webgpu = (await probeGpus()).webgpu;
      if (webgpu.kind === 'absent') return { ok: false, reason: `no WebGPU adapter: ${webgpu.description}` };
      await import('@tensorflow/tfjs-backend-webgpu');
      // The package registers 'webgpu' only where navigator.gpu exists.
      if (!('webgpu' in tf.engine().registryFactory)) return { ok: false, reason: 'this browser has no WebGPU (navigator.gpu)' };
    }
    if (backend === 'wasm') return await initialiseWasm(tf, options, timeoutMs);
    return await setBackendWithin(tf, backend, timeoutMs);
  } catch (error) {
    return { ok: false, reason: `its package failed to load: ${String(error)}` };
  }
}

async function initialiseWasm(tf: Tf, options: LoadTfOptions, timeoutMs: number): Promise<Outcome> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (!wasmConfigured) {
    // Every realm must say where the binaries are, or the backend fetches them next to the
    // bundled script and gets 404s (and never from a CDN: the app serves them itself).
    wasm.setWasmPaths({ ...WASM_FILES });
    // The threaded build breaks in minified production bundles (its thread workers fail): a
    // build never tries it, rather than fail and fall back with errors on the console.
    if (globalThis.crossOriginIsolated !== true || options.wasmThreads === 1 || import.meta.env.PROD) {
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    } else if (options.wasmThreads !== undefined) {
      wasm.setThreadsCount(options.wasmThreads);
    }
    wasmConfigured = true;
  }
  const described = async (outcome: Outcome, threadFailure?: string): Promise<Outcome> => {
    if (!outcome.ok) return outcome;
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
    const threads = `${wasm.getThreadsCount()} thread(s)${threadFailure ? `; threaded build failed: ${threadFailure}` : ''}`;
    return { ok: true, detail: `${simd ? 'SIMD' : 'no SIMD'}, ${threads}` };
  };
  if (!(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'))) return described(await setBackendWithin(tf, 'wasm', timeoutMs));
  const watch = watchThreadFailure();
  const first = await setBackendWithin(tf, 'wasm', timeoutMs, watch.failed).finally(watch.stop);
  if (first.ok) return described(first);
  // The threaded build can fail or hang: minified bundles break the source its thread workers
  // are built from (measured with Vite 8: "ReferenceError: e is not defined" in each thread, and
  // setBackend never settles). The single-threaded SIMD build is unaffected; retry with it.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const second = await setBackendWithin(tf, 'wasm', timeoutMs);
  return second.ok ? described(second, first.reason) : { ok: false, reason: `threaded: ${first.reason}; single-threaded: ${second.reason}` };
}

/**
 * Resolves when a wasm thread worker fails to start. Emscripten rethrows a thread worker's
 * error event from its `onerror`, so it reaches this realm's global error handlers as an
 * uncaught ErrorEvent. Seeing it ends the threaded attempt at once instead of after the timeout.
 */
function watchThreadFailure(): { failed: Promise<Outcome>; stop(): void } {
  let stop = (): void => undefined;
  const failed = new Promise<Outcome>((resolve) => {
    const listener = (event: ErrorEvent): void => {
      if (event.error instanceof ErrorEvent || /worker sent an error/.test(event.message)) {
        const cause = event.error instanceof ErrorEvent ? event.error.message : event.message;
        resolve({ ok: false, reason: `a wasm thread worker failed to start (${cause})` });
      }
    };
    globalThis.addEventListener('error', listener);
    stop = () => globalThis.removeEventListener('error', listener);
  });
  return { failed, stop };
}

/**
 * `tf.setBackend(backend)` that gives up after `timeoutMs` or when `abandon` resolves first;
 * a backend given up on is released, so that a later attempt starts clean.
 */
async function setBackendWithin(
  tf: Tf,
  backend: BackendName,
  timeoutMs: number,
  abandon?: Promise<Outcome>,
): Promise<Outcome> {
  if (!(backend in tf.engine().registryFactory)) return { ok: false, reason: 'it is not registered with TensorFlow.js' };
  const attempt = tf.setBackend(backend).then(
    (ok): Outcome => (ok ? { ok: true } : { ok: false, reason: 'its initialisation failed (TensorFlow.js logged why in the console)' }),
    (error: unknown): Outcome => ({ ok: false, reason: `its initialisation threw: ${String(error)}` }),
  );
  const given = abandon?.then((outcome) => ({ abandoned: outcome }));
  const raced = await withTimeout<Outcome | { abandoned: Outcome }>(given ? Promise.race([attempt, given]) : attempt, timeoutMs);
  if (raced !== TIMED_OUT && !('abandoned' in raced)) return raced;
  release(tf, backend);
  return raced === TIMED_OUT ? { ok: false, reason: `its initialisation did not finish within ${timeoutMs} ms` } : raced.abandoned;
}

/**
 * Drops a backend's instance (and a pending, maybe hung, initialisation of it) but keeps it
 * registered, so it can be tried again or forced later. Frees the GPU context or wasm heap of a
 * calibration's loser.
 */
function release(tf: Tf, backend: BackendName): void {
  const entry = tf.engine().registryFactory[backend];
  if (!entry) return;
  tf.removeBackend(backend);
  tf.registerBackend(backend, entry.factory, entry.priority);
}
