/**
 * Checkpoints kept in this browser's IndexedDB (database `raybox-train`, store `checkpoints`),
 * so a trained model survives a reload. Reachable from the page and every worker of the origin;
 * a joiner's sandbox has no IndexedDB (its origin is opaque), so save from the page there.
 */

const DB_NAME = 'raybox-train';
const STORE = 'checkpoints';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

async function open(): Promise<IDBDatabase> {
  const req = indexedDB.open(DB_NAME, 1);
  req.onupgradeneeded = () => {
    if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE);
  };
  return request(req);
}

async function withStore<T>(mode: IDBTransactionMode, use: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    const tx = db.transaction(STORE, mode);
    const result = await request(use(tx.objectStore(STORE)));
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
    return result;
  } finally {
    db.close();
  }
}

export function putRecord(key: string, value: unknown): Promise<IDBValidKey> {
  return withStore('readwrite', (store) => store.put(value, key));
}

export function getRecord(key: string): Promise<unknown> {
  return withStore('readonly', (store) => store.get(key));
}

export function deleteRecord(key: string): Promise<undefined> {
  return withStore('readwrite', (store) => store.delete(key));
}
