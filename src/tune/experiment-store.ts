import type { StopCondition } from './stop-condition.ts';
import type { TrialStatus } from './trial.ts';

/** One trial as saved: everything `Tuner.restore` needs to keep it or go on with it. */
export interface SavedTrial {
  trialId: string;
  config: Record<string, unknown>;
  status: TrialStatus;
  results: Array<Record<string, unknown>>;
  checkpoint: unknown;
  checkpointIteration: number;
  error: { name: string; message: string; stack?: string } | null;
  nodeId: string | null;
  failures: number;
}

/** An experiment as saved in IndexedDB under its name, rewritten as the run goes. */
export interface SavedExperiment {
  name: string;
  savedAt: number;
  /** Whether `fit()` ran to its end. */
  finished: boolean;
  /** The options that are plain data; searchers, schedulers, callbacks and spaces are given again at restore. */
  tuneConfig: { metric?: string; mode?: 'min' | 'max'; numSamples?: number; maxConcurrentTrials?: number; timeBudgetS?: number; reuseActors?: boolean };
  runConfig: { stop?: StopCondition; failureConfig?: { maxFailures?: number }; checkpointConfig?: { numToKeep?: number } };
  searcherState: unknown;
  trials: SavedTrial[];
}

const DB_NAME = 'raybox-tune';
const STORE = 'experiments';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('IndexedDB is not available here.'));
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB refused to open.'));
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab.'));
  });
}

async function withStore<T>(mode: IDBTransactionMode, use: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = use(tx.objectStore(STORE));
      // A write counts once its transaction commits, so a reload right after finds it.
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error ?? request.error ?? new Error('IndexedDB transaction failed.'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted.'));
    });
  } finally {
    db.close();
  }
}

export function saveExperiment(record: SavedExperiment): Promise<unknown> {
  return withStore('readwrite', (store) => store.put(record, record.name));
}

/** The experiment saved under `name`, or undefined. */
export async function loadExperiment(name: string): Promise<SavedExperiment | undefined> {
  const value = (await withStore('readonly', (store) => store.get(name))) as unknown;
  if (typeof value !== 'object' || value === null || !Array.isArray((value as SavedExperiment).trials)) return undefined;
  return value as SavedExperiment;
}

/** The names of the saved experiments. */
export async function listExperiments(): Promise<string[]> {
  return ((await withStore('readonly', (store) => store.getAllKeys())) as IDBValidKey[]).map(String);
}

export function deleteExperiment(name: string): Promise<unknown> {
  return withStore('readwrite', (store) => store.delete(name));
}
