/**
 * Compiles function sources once per worker, keyed by their hash. Sources are evaluated by
 * indirect eval, so they run in the worker's global scope and see only its globals: exactly what
 * a remote function may use.
 */
export class FunctionCache {
  #compiled = new Map<string, unknown>();
  #pending = new Map<string, Promise<void>>();
  #prepare: (source: string) => (() => Promise<void>) | null;

  /** `prepare` names what a source needs loaded before it first runs (e.g. `tf`). */
  constructor(prepare: (source: string) => (() => Promise<void>) | null = () => null) {
    this.#prepare = prepare;
  }

  get(fnId: string, source: string | undefined): unknown {
    let compiled = this.#compiled.get(fnId);
    if (compiled !== undefined) return compiled;
    if (source === undefined) {
      throw new Error(`The worker has no source for function ${fnId}. This is a bug in raybox: please report it.`);
    }
    compiled = globalThis.eval(`(${source}\n)`) as unknown;
    this.#compiled.set(fnId, compiled);
    const load = this.#prepare(source);
    if (load) this.#pending.set(fnId, load().finally(() => this.#pending.delete(fnId)));
    return compiled;
  }

  /** Resolves once what the function needs is loaded; undefined when nothing is pending. */
  ready(fnId: string): Promise<void> | undefined {
    return this.#pending.get(fnId);
  }
}

/**
 * A remote function that touched a variable of the code that defined it fails with a
 * ReferenceError; this rewrites its message to say why and what to do instead.
 */
export function explainError(error: unknown, taskName: string): unknown {
  if (!(error instanceof ReferenceError)) return error;
  const match = /^(\S+) is not defined$/.exec(error.message);
  if (!match) return error;
  const name = match[1] ?? '';
  const explained = new ReferenceError(
    `'${name}' is not defined inside the remote function '${taskName}'. Remote functions run in a worker and ` +
      "cannot see variables of the code that defined them: only their arguments, the globals 'raybox' and 'tf', " +
      `and what they import. Pass the value as an argument instead: ${taskName}.remote(${name}).`,
  );
  explained.stack = `${explained.name}: ${explained.message}\n${(error.stack ?? '').split('\n').slice(1).join('\n')}`;
  return explained;
}
