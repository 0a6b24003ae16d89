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
/** One record per experiment, without its trials. */
const EXPERIMENTS = 'experiments';
/** One record per trial, keyed `<experiment>\u0000<trialId>`, so a save writes only the trials that changed. */
const TRIALS = 'trials';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('IndexedDB is not available here.'));
    const request = indexedDB.open(DB_NAME, 2);
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const store of [EXPERIMENTS, TRIALS]) if (!db.objectStoreNames.contains(store)) db.createObjectStore(store);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB refused to open.'));
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab.'));
  });
}

/** Runs `use` in one transaction over both stores; resolves once it commits, so a reload right after finds it. */
async function transact<T>(mode: IDBTransactionMode, use: (experiments: IDBObjectStore, trials: IDBObjectStore) => () => T): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction([EXPERIMENTS, TRIALS], mode);
      const outcome = use(tx.objectStore(EXPERIMENTS), tx.objectStore(TRIALS));
      tx.oncomplete = () => resolve(outcome());
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed.'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted.'));
    });
  } finally {
    db.close();
  }
}

const trialKey = (name: string, trialId: string) => `${name}\u0000${trialId}`;
const trialRange = (name: string) => IDBKeyRange.bound(`${name}\u0000`, `${name}\u0001`, false, true);

/** Writes the experiment's record and the given trials (those that changed since the last save). */
export function saveExperiment(record: Omit<SavedExperiment, 'trials'>, trials: readonly SavedTrial[]): Promise<void> {
  return transact('readwrite', (experiments, store) => {
    experiments.put(record, record.name);
    for (const trial of trials) store.put(trial, trialKey(record.name, trial.trialId));
    return () => undefined;
  });
}

/** The experiment saved under `name`, with its trials in order, or undefined. */
export async function loadExperiment(name: string): Promise<SavedExperiment | undefined> {
  const [record, trials] = await transact('readonly', (experiments, store) => {
    const meta = experiments.get(name);
    const all = store.getAll(trialRange(name));
    return () => [meta.result as unknown, all.result as SavedTrial[]] as const;
  });
  if (typeof record !== 'object' || record === null) return undefined;
  return { ...(record as Omit<SavedExperiment, 'trials'>), trials };
}

/** The names of the saved experiments. */
export function listExperiments(): Promise<string[]> {
  return transact('readonly', (experiments) => {
    const keys = experiments.getAllKeys();
    return () => keys.result.map(String);
  });
}

export function deleteExperiment(name: string): Promise<void> {
  return transact('readwrite', (experiments, store) => {
    experiments.delete(name);
    store.delete(trialRange(name));
    return () => undefined;
  });
}
