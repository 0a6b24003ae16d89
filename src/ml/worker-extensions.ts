import { TfNotLoadedError } from './errors.ts';
import { currentBackend, loadTf } from './load-tf.ts';
import { predictBackend } from './predicted-backend.ts';
import { loadedTf } from './tf-module.ts';
import { runInTensorScope } from './tensor-scope.ts';
import { isBackendName, type BackendName } from './backend-name.ts';

/** A backend the pool forces on its workers (init({ tfBackend })), if any. */
let forced: BackendName | undefined;

/** Mentions of `tf` in a function's source (`tf.x`, `self.tf.x`; not `tf_` or `$tf`). */
const usesTf = /(^|[^\w$])tf\b/;

/**
 * What TensorFlow.js adds to every raybox worker: the global `tf`, loaded before the first task
 * whose source mentions it (so a task that never touches it pays nothing), and a tensor scope
 * around each task once tf is loaded, so tensors a task made and did not return are disposed.
 */
export const tfWorkerExtensions = {
  globals: {
    tf: (): unknown => {
      const tf = loadedTf();
      if (!tf) throw new TfNotLoadedError("The global 'tf'");
      return tf;
    },
  },
  configure(config: { backend?: string | undefined }): void {
    forced = isBackendName(config.backend) ? config.backend : undefined;
  },
  prepare(source: string): (() => Promise<void>) | null {
    // One thread per worker: a raybox worker is one CPU, and a pool of busy workers each
    // starting a wasm thread pool would oversubscribe the cores.
    return usesTf.test(source) ? () => loadTf(forced ? { backend: forced, wasmThreads: 1 } : { wasmThreads: 1 }).then(() => undefined) : null;
  },
  wrapTask<T>(run: () => Promise<T> | T): Promise<T> | T {
    return loadedTf() ? runInTensorScope(run) : run();
  },
  backend: async (): Promise<string | null> => currentBackend() ?? forced ?? predictBackend(),
};
