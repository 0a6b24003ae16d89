/**
 * The code the head knows: each function's and class's source by id, filled in for descriptors
 * that arrive without it, and the trust check for code that peers submit.
 */
import { RayboxError } from '../core/errors.ts';
import type { FunctionDescriptor } from '../core/function-descriptor.ts';
import type { ProtocolNode } from '../protocol/node-host.ts';

export class FunctionSources {
  readonly #sources = new Map<string, string>();

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
   * it already, or if its source is part of the source of a function the head sent (a task that
   * defines a nested remote function). Anything else a peer sends as code is refused.
   */
  trusts(node: ProtocolNode, fn: FunctionDescriptor): boolean {
    if (node.isLocal) return true;
    const known = this.#sources.get(fn.fnId);
    if (known !== undefined) return fn.source === '' || fn.source === known;
    if (fn.source === '' || fn.source.length < 8) return false;
    for (const source of this.#sources.values()) if (source.includes(fn.source)) return true;
    return false;
  }

  refuse(node: ProtocolNode, name: string): void {
    console.warn(`raybox: refused code '${name}' submitted by ${node.info().label}: the head never sent it.`);
  }
}
