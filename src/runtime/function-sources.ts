/**
 * The code the head knows: each function's and class's source by id, filled in for descriptors
 * that arrive without it, and the trust check for code that peers submit.
 */
import { RayboxError } from '../core/errors.ts';
import type { FunctionDescriptor } from '../core/function-descriptor.ts';
import { hashSource } from '../core/ids.ts';
import type { ProtocolNode } from '../protocol/node-host.ts';
import { wholeFunctionIds } from './whole-functions.ts';

export class FunctionSources {
  readonly #sources = new Map<string, string>();
  readonly #scanned = new Set<string>();
  readonly #nestedIds = new Set<string>();

  sourceOf(fnId: string): string | undefined {
    return this.#sources.get(fnId);
  }

  /** Workers send a function's source only once; later descriptors come without it. */
  withSource<T extends FunctionDescriptor>(fn: T): T {
    if (fn.source !== '') {
      if (!this.#sources.has(fn.fnId)) this.#sources.set(fn.fnId, fn.source);
      return fn;
    }
    const source = this.#sources.get(fn.fnId);
    if (source === undefined) throw new RayboxError(`The source of function ${fn.name} (${fn.fnId}) never reached the head. This is a bug: please report it.`);
    return { ...fn, source };
  }

  /**
   * Only code the head wrote runs anywhere. A peer may submit a function only if the head knows
   * it already, or if it is a whole function or class written inside a function the head sent (a
   * task that defines a nested remote function), named by the hash of its text. A fragment of the
   * head's code, however it was cut, is refused, as is anything else a peer sends as code.
   */
  trusts(node: ProtocolNode, fn: FunctionDescriptor): boolean {
    if (node.isLocal) return true;
    const known = this.#sources.get(fn.fnId);
    if (known !== undefined) return fn.source === '' || fn.source === known;
    if (fn.source === '' || hashSource(fn.source) !== fn.fnId) return false;
    return this.#nested().has(fn.fnId);
  }

  /** The ids of the whole functions inside every source known, parsed once per source. */
  #nested(): Set<string> {
    for (const [fnId, source] of this.#sources) {
      if (this.#scanned.has(fnId)) continue;
      this.#scanned.add(fnId);
      for (const id of wholeFunctionIds(source)) this.#nestedIds.add(id);
    }
    return this.#nestedIds;
  }

  refuse(node: ProtocolNode, name: string): void {
    console.warn(`raybox: refused code '${name}' submitted by ${node.info().label}: the head never sent it.`);
  }
}
