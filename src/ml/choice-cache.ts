import { isBackendName, type BackendName } from './backend-name.ts';

/**
 * Remembers which backend won a calibration, per browser. Workers have no localStorage, so the
 * verdict lives in memory for this realm and in IndexedDB for every realm of the origin (pages and
 * workers start often; each should not time matmuls again). IndexedDB may be missing or refuse
 * (opaque-origin sandboxes, private modes): then only the memory copy is used, silently.
 */

export interface CachedChoice {
  backend: BackendName;
  /** Median milliseconds per calibration run, per backend that took part. */
  timings: Partial<Record<BackendName, number>>;
  /** When the calibration ran (ms since the epoch). */
  at: number;
}

const DB_NAME = 'raybox-ml';
const STORE = 'backend-choice';

const memory = new Map<string, CachedChoice>();

function openDb(): Promise<IDBDatabase | undefined> {
  return new Promise((resolve) => {
    try {
      if (typeof indexedDB === 'undefined') return resolve(undefined);
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(undefined);
      request.onblocked = () => resolve(undefined);
    } catch {
      resolve(undefined);
    }
  });
}

async function withStore<T>(mode: IDBTransactionMode, use: (store: IDBObjectStore) => IDBRequest<T>): Promise<T | undefined> {
  const db = await openDb();
  if (!db) return undefined;
  try {
    return await new Promise<T | undefined>((resolve) => {
      const request = use(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(undefined);
    });
  } catch {
    return undefined;
  } finally {
    db.close();
  }
}

function decodeChoice(value: unknown): CachedChoice | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (!isBackendName(record['backend']) || typeof record['at'] !== 'number') return undefined;
  const timings = typeof record['timings'] === 'object' && record['timings'] !== null ? record['timings'] : {};
  return { backend: record['backend'], timings: timings as CachedChoice['timings'], at: record['at'] };
}

/** The verdict stored under `key` (a description of browser and GPUs), if any. */
export async function readChoice(key: string, persistent: boolean): Promise<CachedChoice | undefined> {
  const inMemory = memory.get(key);
  if (inMemory || !persistent) return inMemory;
  const stored = decodeChoice(await withStore('readonly', (store) => store.get(key)));
  if (stored) memory.set(key, stored);
  return stored;
}

export async function writeChoice(key: string, choice: CachedChoice, persistent: boolean): Promise<void> {
  memory.set(key, choice);
  if (persistent) await withStore('readwrite', (store) => store.put(choice, key));
}

/** Forgets every verdict, in memory and in IndexedDB (after a GPU driver update, or in tests). */
export async function clearChoices(): Promise<void> {
  memory.clear();
  await withStore('readwrite', (store) => store.clear());
}
