/** Worker half of the TensorFlow.js benchmark: measures in this worker realm, posts the entries. */
import { backendChoice, loadTf } from '../../src/ml/index.ts';
import { benchThisRealm, type RealmBenchOptions } from './tf-bench.realm.ts';

export type TfBenchWorkerReply =
  | { ok: true; autoBackend: string; autoReason: string; entries: Awaited<ReturnType<typeof benchThisRealm>> }
  | { ok: false; error: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<RealmBenchOptions>) => {
  try {
    // The automatic choice first, as a task's worker would make it; then each backend forced.
    await loadTf({ wasmThreads: event.data.wasmThreads });
    const choice = backendChoice();
    const entries = await benchThisRealm('worker', event.data);
    scope.postMessage({ ok: true, autoBackend: choice?.backend ?? 'none', autoReason: choice?.reason ?? '', entries } satisfies TfBenchWorkerReply);
  } catch (error) {
    scope.postMessage({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) } satisfies TfBenchWorkerReply);
  }
};
