/** Written to and cleared by `keepAlive`; an engine cannot drop a store to a shared object. */
const sink: { value: unknown } = { value: undefined };

/**
 * Keeps `value` reachable up to this call. Refs waited on must outlive the wait: if the garbage
 * collector took them meanwhile, their objects would be freed under the waiter.
 */
export function keepAlive(value: unknown): void {
  sink.value = value;
  sink.value = undefined;
}
