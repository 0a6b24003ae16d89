import type { ProtocolNode } from '../protocol/node-host.ts';

/**
 * The cluster's nodes by id, with the list of them the scheduler takes kept ready: a task placed
 * at submission would otherwise copy the map's values into a new array each time, and nodes
 * change rarely (a peer joins or leaves).
 */
export class NodeTable extends Map<string, ProtocolNode> {
  #list: readonly ProtocolNode[] | undefined;

  /** The nodes, in the order they joined; the same array until a node joins or leaves. */
  get list(): readonly ProtocolNode[] {
    return (this.#list ??= [...this.values()]);
  }

  override set(id: string, node: ProtocolNode): this {
    this.#list = undefined;
    return super.set(id, node);
  }

  override delete(id: string): boolean {
    this.#list = undefined;
    return super.delete(id);
  }

  override clear(): void {
    this.#list = undefined;
    super.clear();
  }
}
