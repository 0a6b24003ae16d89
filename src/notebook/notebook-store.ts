import { decodeNotebook, type NotebookFile } from './format.ts';

/** Where notebooks are kept between visits, by key ('scratch', 'example:learning-ray-ch2' …). */
export interface NotebookStore {
  /** The saved notebook, or undefined when none is saved or what is saved is damaged. */
  load(key: string): Promise<NotebookFile | undefined>;
  save(key: string, file: NotebookFile): Promise<void>;
  remove(key: string): Promise<void>;
}

/** Keeps notebooks in memory: for tests and pages without IndexedDB. */
export class MemoryNotebookStore implements NotebookStore {
  #files = new Map<string, string>();

  async load(key: string): Promise<NotebookFile | undefined> {
    const text = this.#files.get(key);
    if (text === undefined) return undefined;
    try {
      return decodeNotebook(JSON.parse(text));
    } catch {
      return undefined;
    }
  }

  async save(key: string, file: NotebookFile): Promise<void> {
    this.#files.set(key, JSON.stringify(file));
  }

  async remove(key: string): Promise<void> {
    this.#files.delete(key);
  }
}

const DB_NAME = 'raybox-notebooks';
const STORE = 'notebooks';

/** Keeps notebooks in this origin's IndexedDB, so they survive reloads. */
export class IndexedDbNotebookStore implements NotebookStore {
  #db: Promise<IDBDatabase> | undefined;

  async load(key: string): Promise<NotebookFile | undefined> {
    const value = await this.#request('readonly', (store) => store.get(key));
    if (value === undefined) return undefined;
    try {
      return decodeNotebook(value);
    } catch {
      return undefined;
    }
  }

  async save(key: string, file: NotebookFile): Promise<void> {
    await this.#request('readwrite', (store) => store.put(file, key));
  }

  async remove(key: string): Promise<void> {
    await this.#request('readwrite', (store) => store.delete(key));
  }

  #open(): Promise<IDBDatabase> {
    this.#db ??= new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
    });
    return this.#db;
  }

  async #request(mode: IDBTransactionMode, make: (store: IDBObjectStore) => IDBRequest): Promise<unknown> {
    const db = await this.#open();
    return new Promise((resolve, reject) => {
      const request = make(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
    });
  }
}
