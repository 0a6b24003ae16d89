import type { DocumentChange, NotebookDocument } from './notebook-document.ts';
import type { NotebookStore } from './notebook-store.ts';

export interface AutosaveOptions {
  /** Quiet time after the last edit before saving, in milliseconds. @default 400 */
  delayMs?: number;
  /** Reports a save that failed (storage full, private mode …). */
  onError?: (error: unknown) => void;
  /** Changes that do not call for a save on their own (outputs of a notebook nobody edited). */
  ignore?: (change: DocumentChange) => boolean;
}

/**
 * Saves a document under one key a moment after each burst of edits. `flush` saves now (the page
 * calls it when hidden); `stop` saves what is pending and stops following the document.
 */
export class Autosave {
  #document: NotebookDocument;
  #store: NotebookStore;
  #key: string;
  #delayMs: number;
  #onError: (error: unknown) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #unsubscribe: () => void;
  #saving: Promise<void> = Promise.resolve();

  constructor(document: NotebookDocument, store: NotebookStore, key: string, options: AutosaveOptions = {}) {
    this.#document = document;
    this.#store = store;
    this.#key = key;
    this.#delayMs = options.delayMs ?? 400;
    this.#onError = options.onError ?? ((error) => console.warn('raybox: autosave failed', error));
    const ignore = options.ignore ?? (() => false);
    this.#unsubscribe = document.onChange((change) => {
      if (!ignore(change)) this.#schedule();
    });
  }

  get key(): string {
    return this.#key;
  }

  /** Saves under `key` from now on (a shared notebook becoming the user's copy), now. */
  async moveTo(key: string): Promise<void> {
    this.#key = key;
    if (this.#timer === undefined) this.#timer = setTimeout(() => void this.flush(), 0);
    await this.flush();
  }

  /** Saves now if an edit is pending; resolves when the save is written. */
  flush(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#saving = this.#saving.then(() => this.#store.save(this.#key, this.#document.toFile())).catch(this.#onError);
    }
    return this.#saving;
  }

  async stop(): Promise<void> {
    this.#unsubscribe();
    await this.flush();
  }

  #schedule(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), this.#delayMs);
  }
}
