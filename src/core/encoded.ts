/**
 * Data shapes of values on their way between realms. The encoding itself lives in
 * src/protocol/value-codec.ts; core only stores and forwards these.
 */

/** One value, encoded: markers in place of refs, handles and handler values. */
export interface EncodedPayload {
  value: unknown;
  /** True when there are markers to revive. */
  special: boolean;
  handlers: string[] | undefined;
  size: number;
}

/** The arguments of a task or call, encoded once where it is submitted. */
export interface EncodedArgs {
  /** Encoded values; a top-level ref's position holds null until the task is dispatched. */
  values: unknown[];
  /** The id of the top-level ref at each position, or null; null for the whole list when none. */
  refArgs: (string | null)[] | null;
  /** Refs found inside arguments: they travel as refs and are pinned while the task lives. */
  nestedRefs: readonly string[];
  special: boolean;
  handlers?: string[] | undefined;
}
